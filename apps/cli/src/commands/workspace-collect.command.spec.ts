import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../run';

const TABLE = 'age,n\nyoung,12\nold,15\n';

/** `tre workspace collect` run as the `tre` binary runs it (in-process), over a real temporary folder. */
describe('tre workspace collect --list | --check', () => {
  let dir: string;
  const tre = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const capture = (into: string[]) => (chunk: string | Uint8Array) => {
      into.push(String(chunk));
      return true;
    };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture(out));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture(err));
    try {
      const code = await runCli(['node', 'tre', 'workspace', 'collect', '--dir', dir, ...args]);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tre-collect-cli-'));
    writeFileSync(join(dir, 'table.csv'), TABLE);
    writeFileSync(join(dir, 'table.csv.record.json'), '{}');
    symlinkSync('/etc/passwd', join(dir, 'passwd.csv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the regular files with their records and names what it skipped', async () => {
    const run = await tre('--list', '--json');
    // With what it said on stderr, so a failure here names its cause.
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    const listing = JSON.parse(run.out) as {
      files: { path: string; recordPath: string | null }[];
      skipped: unknown[];
    };
    expect(listing.files.map((f) => [f.path, f.recordPath])).toEqual([
      ['table.csv', 'table.csv.record.json'],
      ['table.csv.record.json', null],
    ]);
    expect(listing.skipped).toEqual([{ path: 'passwd.csv', reason: 'a symbolic link' }]);
  });

  it('says what would be collected, with its SHA-256, and refuses bad paths with the reason (exit 1)', async () => {
    const good = await tre('--check', 'table.csv', '--record', 'table.csv.record.json', '--json');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toEqual([
      {
        path: 'table.csv',
        collectable: true,
        sha256: createHash('sha256').update(TABLE).digest('hex'),
        sizeBytes: TABLE.length,
        mediaType: 'text/csv',
        record: 'table.csv.record.json',
      },
    ]);
    const bad = await tre(
      '--check',
      'passwd.csv',
      '--check',
      '../etc/passwd',
      '--check',
      'table.csv',
      '--max-bytes',
      '10',
    );
    expect(bad.code).toBe(1);
    expect(bad.out.split('\n').filter(Boolean)).toEqual([
      'passwd.csv: refused: it is a symbolic link, not a regular file',
      '../etc/passwd: refused: the path leaves the outputs folder (..)',
      `table.csv: refused: it is ${TABLE.length} bytes, over the limit of 10`,
    ]);
  });

  it('refuses a call that says nothing to do (exit 2)', async () => {
    const run = await tre();
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--list, or --check PATH/);
  });
});
