import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTs } from '@tre/testing';

/** `tre` as a real process: what reaches a pipe, and what each command loads. */
const MAIN = 'apps/cli/src/main.ts';
const dir = mkdtempSync(join(tmpdir(), 'tre-cli-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Microdata whose table has `side` x `side` cells, each of 3 records. */
function microdata(name: string, side: number): string {
  const lines = ['area,age'];
  for (let r = 0; r < side; r += 1)
    for (let c = 0; c < side; c += 1) lines.push(...Array(3).fill(`a${r},g${c}`));
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('output through a pipe', () => {
  it('delivers every byte of a large result before exiting', async () => {
    // 150 x 150 cells make about 3 MB of JSON: many times what a pipe holds at once.
    const data = microdata('large.csv', 150);
    const { code, stdout, stderr } = await runTs([
      MAIN,
      'sdc',
      'table',
      '--data',
      data,
      '--rows',
      'area',
      '--cols',
      'age',
      '--json',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.length).toBeGreaterThan(1_000_000);
    const result = JSON.parse(stdout.toString()) as { table: { values: number[][] } };
    expect(result.table.values).toHaveLength(150);
    expect(result.table.values.every((row) => row.length === 150)).toBe(true);
  });
});

describe('loading only what a command needs', () => {
  const HEAVY = ['@nestjs/core', 'typeorm', 'pg', '@kubernetes/client-node', 'bullmq', 'ioredis'];

  /** Runs `tre <args>` in a fresh process and answers the heavy packages it loaded. */
  async function heavyPackagesLoadedBy(args: string[]): Promise<string[]> {
    const script = [
      `require('./apps/cli/src/run.ts').runCli(['node', 'tre', ...${JSON.stringify(args)}]).then((code) => {`,
      `  const files = Object.keys(require.cache);`,
      `  const heavy = ${JSON.stringify(HEAVY)}.filter((p) => files.some((f) => f.includes('/node_modules/' + p + '/')));`,
      `  process.stderr.write('LOADED ' + JSON.stringify({ code, heavy }) + '\\n');`,
      `});`,
    ].join('\n');
    const { stderr } = await runTs(['-e', script]);
    const line = stderr.split('\n').find((l) => l.startsWith('LOADED '));
    if (!line) throw new Error(`no report from the child: ${stderr}`);
    const report = JSON.parse(line.slice('LOADED '.length)) as { code: number; heavy: string[] };
    expect(report.code).toBe(0);
    return report.heavy;
  }

  it('`tre --help` lists every command without loading any', async () => {
    expect(await heavyPackagesLoadedBy(['--help'])).toEqual([]);
  });

  it('`tre sdc` loads neither Nest, nor TypeORM, nor a database, queue or cluster client', async () => {
    expect(await heavyPackagesLoadedBy(['sdc', '--help'])).toEqual([]);
    const data = microdata('small.csv', 3);
    expect(
      await heavyPackagesLoadedBy(['sdc', 'table', '--data', data, '--rows', 'area', '--cols', 'age']),
    ).toEqual([]);
  });

  it('a command that needs the database still loads it', async () => {
    expect(await heavyPackagesLoadedBy(['migrate', '--help'])).toEqual(
      expect.arrayContaining(['typeorm', 'pg']),
    );
  });
});
