import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { type SdcResult } from '@tre/sdc';
import { CliUsageError, takeExitCode } from '../../cli-errors';
import { registerSdcCommands } from '.';

const NURSERY = join(__dirname, '../../../../../../shared/data/nursery.csv');
const dir = mkdtempSync(join(tmpdir(), 'tre-sdc-cli-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `tre sdc ...` in-process the way main.ts does: usage errors exit 2. */
async function tre(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const program = new Command('tre')
    .exitOverride()
    .configureOutput({ writeErr: (t) => (err += t), writeOut: (t) => (out += t) });
  registerSdcCommands(program);
  takeExitCode();
  let code = 0;
  try {
    await program.parseAsync(['node', 'tre', ...args]);
    code = takeExitCode();
  } catch (error: unknown) {
    code = error instanceof CliUsageError ? 2 : error instanceof Error && 'exitCode' in error ? 2 : 1;
    err += error instanceof Error ? error.message : String(error);
  } finally {
    write.mockRestore();
  }
  return { code, out, err };
}

async function json(...args: string[]): Promise<SdcResult> {
  const { code, out, err } = await tre(...args, '--json');
  expect({ code, err }).toEqual({ code: 0, err: '' });
  expect(out.trim().split('\n')).toHaveLength(1);
  return JSON.parse(out) as SdcResult;
}

// Counts of parents by recommendation from awk -F, 'NR>1{c[$1","$9]++}' nursery.csv, with margins.
const NURSERY_COUNTS = [
  [1440, 858, 0, 2022, 0, 4320],
  [1440, 1484, 0, 1264, 132, 4320],
  [1440, 1924, 2, 758, 196, 4320],
  [4320, 4266, 2, 4044, 328, 12960],
];
const cellsWhere = (test: (v: number) => boolean): [number, number][] =>
  NURSERY_COUNTS.flatMap((row, r) => row.flatMap((v, c): [number, number][] => (test(v) ? [[r, c]] : [])));
const NURSERY_TABLE = ['sdc', 'table', '--data', NURSERY, '--rows', 'parents', '--cols', 'recommendation'];

describe('tre sdc table', () => {
  it('checks nursery parents x recommendation with margins: the flagged cells are those under 10', async () => {
    const result = await json(...NURSERY_TABLE, '--margins');
    expect(result.status).toBe('fail');
    expect(result.table?.rows).toEqual(['great_pret', 'pretentious', 'usual', 'All']);
    expect(result.table?.cols).toEqual([
      'not_recom',
      'priority',
      'recommend',
      'spec_prior',
      'very_recom',
      'All',
    ]);
    expect(result.table?.values).toEqual(NURSERY_COUNTS);
    expect(result.checks.threshold).toEqual(cellsWhere((v) => v < 10));
    expect(result.checks.zeros).toEqual(cellsWhere((v) => v === 0));
    expect(result.summary).toMatchObject({ threshold: 5, zeros: 3, nk: 0, p_percent: 0 });
    expect(result.rules).toMatchObject({ name: 'tre-default', version: '1.0.0' });
    expect(result.suppressed).toEqual([]);
  });

  it('protects it: suppressed cells are null, every one audited and out of reach of the margins', async () => {
    const result = await json(...NURSERY_TABLE, '--margins', '--suppress');
    const hidden = new Set(result.suppressed.map((s) => `${s.row},${s.col}`));
    for (const [r, c] of cellsWhere((v) => v < 10)) expect(hidden.has(`${r},${c}`)).toBe(true);
    result.table?.values.forEach((row, r) =>
      row.forEach((v, c) => expect(v).toBe(hidden.has(`${r},${c}`) ? null : NURSERY_COUNTS[r][c])),
    );
    expect(result.audit.map((a) => `${a.row},${a.col}`)).toEqual(
      result.suppressed.map((s) => `${s.row},${s.col}`),
    );
    for (const a of result.audit) {
      const value = NURSERY_COUNTS[a.row][a.col];
      expect(a.protected).toBe(true);
      if (a.kind === 'primary') {
        // The protection level for counts: 5 records (50% of the threshold) either side, or down to 0.
        expect(a.lower).toBeLessThanOrEqual(Math.max(0, value - 5));
        expect(a.upper === null || a.upper >= value + 5).toBe(true);
      } else {
        expect(a.upper === null || (a.lower !== null && a.upper > a.lower)).toBe(true);
      }
    }
    expect(result.status).toBe('review');
  });

  it('accepts any column name: spaces, quotes, unicode, commas and names like class', async () => {
    const lines = Array.from({ length: 24 }, (_, i) => `k${i % 2},v${i % 3},q,é,z${i % 2}`);
    const data = file('odd.csv', ['class,"a b","say ""hi""",ünï,"x,y"', ...lines].join('\n'));
    const byComma = await json('sdc', 'table', '--data', data, '--rows', 'class', '--cols', 'x,y');
    expect(byComma.table?.cols).toEqual(['z0', 'z1']);
    const composite = await json(
      'sdc',
      'table',
      '--data',
      data,
      '--rows',
      '"a b",class',
      '--cols',
      '"say ""hi""",ünï',
    );
    expect(composite.table?.rowVars).toEqual(['a b', 'class']);
    expect(composite.table?.colVars).toEqual(['say "hi"', 'ünï']);
    expect(composite.table?.rows[0]).toEqual(['v0', 'k0']);
    expect(composite.table?.cols).toEqual([['q', 'é']]);
  });

  it('applies a TRE rule file, and rounding after suppression', async () => {
    const rules = file('rules.json', JSON.stringify({ name: 'strict', version: '3', threshold: 200 }));
    const result = await json(...NURSERY_TABLE, '--rules', rules, '--round', '100');
    expect(result.rules).toMatchObject({ name: 'strict', version: '3', threshold: 200 });
    expect(result.checks.threshold).toEqual(cellsWhere((v) => v < 200).filter(([r, c]) => r < 3 && c < 5));
    expect(result.table?.values[0]).toEqual([1400, 900, 0, 2000, 0]);
  });

  it('prints a table with marked cells and a plain summary without --json', async () => {
    const { code, out } = await tre(...NURSERY_TABLE, '--suppress');
    expect(code).toBe(0);
    expect(out).toContain('status: REVIEW');
    expect(out).toMatch(/usual\s+1440\s+1924\s+x/);
  });

  it('exits 1 on a fail only when asked to with --exit-code', async () => {
    expect((await tre(...NURSERY_TABLE, '--json')).code).toBe(0);
    expect((await tre(...NURSERY_TABLE, '--json', '--exit-code')).code).toBe(1);
  });

  it.each([
    ['a missing file', ['--data', join(dir, 'none.csv'), '--rows', 'a', '--cols', 'b'], /no such file/],
    [
      'an unknown column',
      ['--data', NURSERY, '--rows', 'parents', '--cols', 'nope'],
      /unknown column "nope"/,
    ],
    [
      'a non-numeric values column',
      ['--data', NURSERY, '--rows', 'parents', '--cols', 'health', '--values', 'form'],
      /not numeric/,
    ],
    ['empty data', ['--data', 'EMPTY', '--rows', 'a', '--cols', 'b'], /empty/],
    ['malformed CSV', ['--data', 'BROKEN', '--rows', 'a', '--cols', 'b'], /malformed CSV at line 3/],
    [
      'a bad rounding',
      ['--data', NURSERY, '--rows', 'parents', '--cols', 'health', '--round', 'x'],
      /--round/,
    ],
  ])('exits 2 with one line for %s', async (_, args, message) => {
    const resolved = args.map((a) =>
      a === 'EMPTY' ? file('empty.csv', '') : a === 'BROKEN' ? file('broken.csv', 'a,b\n1,2\n"3,4\n') : a,
    );
    const { code, err, out } = await tre('sdc', 'table', ...resolved, '--json');
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });
});

describe('tre sdc protect', () => {
  const table = file('counts.csv', 'sex,north,south,east\nf,3,20,30\nm,15,25,35\nx,12,18,40\n');

  it('protects a pre-aggregated table, taking its totals as published', async () => {
    const result = await json('sdc', 'protect', '--table', table);
    expect(result.table?.rows).toEqual(['f', 'm', 'x', 'All']);
    expect(result.table?.cols).toEqual(['north', 'south', 'east', 'All']);
    expect(result.suppressed).toEqual(expect.arrayContaining([{ row: 0, col: 0, kind: 'primary' }]));
    expect(result.suppressed.filter((s) => s.kind === 'secondary').length).toBeGreaterThan(0);
    expect(result.audit.every((a) => a.protected)).toBe(true);
    // Published totals (by hand: 30, 63, 105, 198 down the All row) stay where they are not suppressed.
    result.table?.values[3].forEach((v, c) => expect([null, [30, 63, 105, 198][c]]).toContain(v));
  });

  it('takes extra primary cells by index or label', async () => {
    const byIndex = await json('sdc', 'protect', '--table', table, '--primary', '2:2');
    const byLabel = await json('sdc', 'protect', '--table', table, '--primary', 'x:east');
    expect(byIndex.suppressed).toEqual(byLabel.suppressed);
    expect(byIndex.suppressed).toEqual(expect.arrayContaining([{ row: 2, col: 2, kind: 'primary' }]));
  });

  it('exits 2 for a negative count', async () => {
    const bad = file('bad.csv', 'g,a,b\nx,1,-2\n');
    expect((await tre('sdc', 'protect', '--table', bad)).code).toBe(2);
  });
});

describe('tre sdc check', () => {
  it('checks the record written by table --write-record, and flags differencing against a ledger', async () => {
    const record = join(dir, 'record.json');
    await json(
      'sdc',
      'table',
      '--data',
      NURSERY,
      '--rows',
      'parents',
      '--cols',
      'health',
      '--margins',
      '--write-record',
      record,
    );
    expect((await json('sdc', 'check', '--record', record)).status).toBe('pass');
    const released = JSON.parse(readFileSync(record, 'utf8')) as {
      table: { cells: { records: number }[][] };
    };
    released.table.cells[0][0].records -= 4;
    const ledger = file('ledger.json', JSON.stringify({ schema: 'tre-sdc-ledger', released: [released] }));
    const checked = await json('sdc', 'check', '--record', record, '--ledger', ledger);
    expect(checked.status).toBe('fail');
    expect(checked.checks.differencing).toEqual([[0, 0]]);
  });

  it('exits 2 for a record that is not JSON or not a record', async () => {
    expect((await tre('sdc', 'check', '--record', file('bad.json', '{oops'))).code).toBe(2);
    expect((await tre('sdc', 'check', '--record', file('bad2.json', '{"type":"table"}'))).code).toBe(2);
  });
});
