import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffOutputFile } from '@tre/outputs';
import { collectOne, type CollectResult } from './collect-files';
import { listOutputFiles } from './output-listing';

const LIMIT = 1000;
const rules = { maxFileBytes: LIMIT, sniff: sniffOutputFile };
const TABLE = 'age,n\nyoung,12\nold,15\n';

/** The collector's path, size and type rules against a real folder holding every kind of bad path. */
describe('collecting a file from the outputs folder', () => {
  let root: string;
  let outside: string;
  const reason = (result: CollectResult): string => (result.ok ? 'collected' : result.reason);
  const collect = (path: string, recordPath?: string) => collectOne(root, { path, recordPath }, rules);

  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'tre-collect-outside-'));
    writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
    root = mkdtempSync(join(tmpdir(), 'tre-collect-'));
    writeFileSync(join(root, 'table.csv'), TABLE);
    writeFileSync(join(root, 'table.csv.record.json'), '{"schema":"tre-sdc-record"}');
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'sub', 'deeper', 'ok.csv'), TABLE);
    symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
    symlinkSync(outside, join(root, 'linked-folder'));
    symlinkSync(join(root, 'table.csv'), join(root, 'inside-link.csv'));
    mkdirSync(join(root, 'folder.csv'));
    execFileSync('mkfifo', [join(root, 'pipe.csv')]);
    execFileSync('mknod', [join(root, 'null.csv'), 'c', '1', '3']);
    writeFileSync(join(root, 'big.csv'), `n\n${'1\n'.repeat(LIMIT)}`);
    writeFileSync(
      join(root, 'tool.csv'),
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(64)]),
    );
    writeFileSync(
      join(root, 'bundle.csv'),
      Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]),
    );
    writeFileSync(join(root, 'run.csv'), '#!/bin/sh\nrm -rf /\n');
    writeFileSync(join(root, 'program.exe'), 'hello');
    symlinkSync(join(root, 'table.csv.record.json'), join(root, 'record-link.json'));
    writeFileSync(join(root, 'gone.csv'), TABLE);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('collects a regular file with its SHA-256, size, type and record', async () => {
    const result = await collect('table.csv', 'table.csv.record.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file).toMatchObject({
      path: 'table.csv',
      sizeBytes: TABLE.length,
      mediaType: 'text/csv',
      sha256: createHash('sha256').update(TABLE).digest('hex'),
      record: { path: 'table.csv.record.json' },
    });
    expect(result.file.content.toString()).toBe(TABLE);
    expect((await collect('sub/deeper/ok.csv')).ok).toBe(true);
  });

  it.each([
    ['../outside.csv', /leaves the outputs folder/],
    ['sub/../../x.csv', /leaves the outputs folder/],
    ['/etc/passwd', /absolute path/],
    ['C:/x.csv', /absolute path/],
    ['', /empty/],
    ['sub//ok.csv', /empty or "\." component/],
    ['./table.csv', /empty or "\." component/],
    ['sub\\ok.csv', /backslash/],
    ['tab\u0000le.csv', /control character/],
    ['link.csv', /symbolic link, not a regular file/],
    ['inside-link.csv', /symbolic link, not a regular file/],
    ['linked-folder/secret.csv', /"linked-folder" is a symbolic link, not a folder/],
    ['folder.csv', /a directory, not a regular file/],
    ['pipe.csv', /a FIFO, not a regular file/],
    ['null.csv', /a device, not a regular file/],
    ['big.csv', /over the limit of 1000/],
    ['tool.csv', /ELF executable/],
    ['bundle.csv', /ZIP archive/],
    ['run.csv', /script/],
    ['program.exe', /only csv, json, txt, png, pdf/],
    ['nowhere.csv', /does not exist/],
    ['nowhere/x.csv', /folder "nowhere" does not exist/],
    ['table.csv/x.csv', /"table.csv" is a regular file, not a folder/],
  ])('refuses %j with the reason', async (path, why) => {
    expect(reason(await collect(path))).toMatch(why);
  });

  it('refuses a record that breaks the rules, naming it', async () => {
    expect(reason(await collect('table.csv', 'link.csv'))).toBe('the record link.csv must be a .json file');
    expect(reason(await collect('table.csv', 'record-link.json'))).toMatch(
      /^its record record-link.json: it is a symbolic link/,
    );
    expect(reason(await collect('table.csv', '../x.json'))).toMatch(/its record \.\.\/x\.json: .*leaves/);
  });

  it('lists regular files with their records, never entering a link; a file that vanished is refused', async () => {
    const listing = await listOutputFiles(root);
    const paths = listing.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['table.csv', 'sub/deeper/ok.csv', 'gone.csv', 'big.csv']));
    expect(paths.some((p) => p.startsWith('linked-folder'))).toBe(false);
    expect(listing.files.find((f) => f.path === 'table.csv')?.recordPath).toBe('table.csv.record.json');
    expect(listing.skipped.map((s) => s.path).sort()).toEqual(
      ['inside-link.csv', 'link.csv', 'linked-folder', 'null.csv', 'pipe.csv', 'record-link.json'].sort(),
    );
    unlinkSync(join(root, 'gone.csv'));
    expect(reason(await collect('gone.csv'))).toMatch(/does not exist \(moved or deleted\?\)/);
  });
});
