import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The self-contained `tre sdc` that a workspace tool's init container copies into the pod, laid out as the
 * Dockerfile lays the kit (bin/tre, lib/tre-sdc.js, lib/node) in a temporary folder outside the repository, so
 * nothing can resolve the repository's node_modules or dist/libs: what runs is the bundle alone.
 */
const BUILTINS = new Set(builtinModules);
const ROOT = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'tre-sdc-kit-'));
const kit = join(dir, 'opt', 'tre');
const work = join(dir, 'work');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  file: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Only PATH: no NODE_PATH or NODE_OPTIONS from the test run reaches the kit.
    execFile(file, args, { cwd, env: { PATH: '/usr/bin:/bin' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  mkdirSync(join(kit, 'bin'), { recursive: true });
  mkdirSync(join(kit, 'lib'));
  mkdirSync(work);
  const bundled = await run(
    process.execPath,
    [join(ROOT, 'scripts/bundle-tre-sdc.cjs'), join(kit, 'lib', 'tre-sdc.js')],
    ROOT,
  );
  expect(bundled).toMatchObject({ code: 0, stderr: '' });
  copyFileSync(join(ROOT, 'apps/cli/tool-kit/tre'), join(kit, 'bin', 'tre'));
  // The image's node binary; a link here, a copy in the image.
  symlinkSync(process.execPath, join(kit, 'lib', 'node'));
}, 60_000);

describe('the tre sdc kit', () => {
  it('answers `tre sdc --help` through the wrapper, from a folder with no node_modules above it', async () => {
    const { code, stdout } = await run(join(kit, 'bin', 'tre'), ['sdc', '--help'], work);
    expect(code).toBe(0);
    expect(stdout).toContain('Statistical disclosure control');
    expect(stdout).toMatch(/table \[options\]/);
  });

  it('builds a table from a CSV and writes its record with the SHA-256 of the file it read', async () => {
    const rows = ['area,sex', ...Array.from({ length: 60 }, (_, i) => `a${i % 3},${i % 2 ? 'F' : 'M'}`)];
    const csv = `${rows.join('\n')}\n`;
    writeFileSync(join(work, 'extract.csv'), csv);
    const args = ['sdc', 'table', '--data', 'extract.csv', '--rows', 'area', '--cols', 'sex'];
    const { code, stdout, stderr } = await run(
      join(kit, 'bin', 'tre'),
      [...args, '--write-record', 'table.record.json', '--write-table', 'table.csv', '--json'],
      work,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'pass' });
    const record = JSON.parse(readFileSync(join(work, 'table.record.json'), 'utf8')) as {
      source: { sha256: string; file: string };
      table: { values: number[][] };
    };
    expect(record.source).toEqual({
      sha256: createHash('sha256').update(csv).digest('hex'),
      file: 'extract.csv',
    });
    expect(record.table.values).toEqual([
      [10, 10],
      [10, 10],
      [10, 10],
    ]);
    expect(readFileSync(join(work, 'table.csv'), 'utf8')).toBe('area,F,M\na0,10,10\na1,10,10\na2,10,10\n');
  });

  it('says bad input in one line and exits 2, as the full CLI does', async () => {
    const { code, stderr } = await run(
      join(kit, 'bin', 'tre'),
      ['sdc', 'table', '--data', 'x.csv', '--rows', 'a', '--cols', 'b', '--agg', 'bogus'],
      work,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tre: --agg must be one of/);
  });

  it('carries no module of the full CLI: neither Nest nor TypeORM nor the Kubernetes client', () => {
    const bundle = readFileSync(join(kit, 'lib', 'tre-sdc.js'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.filter((name) => !name.startsWith('node:') && !BUILTINS.has(name))).toEqual([]);
  });
});
