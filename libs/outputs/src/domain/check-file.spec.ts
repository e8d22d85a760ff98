import { DEFAULT_RULE_SET, RECORD_SCHEMA, RECORD_VERSION, type TableRecord } from '@tre/sdc';
import { blockingRules, checkOutputFile, type FileCheckResult, type FileFlag } from './check-file';
import { ledgerForFile, variablesKey } from './ledger';
import { comparePublishedTable } from './published-table';

function table(
  counts: number[][],
  suppressed: [number, number][] = [],
  rowVar = 'age',
  colVar = 'sex',
): TableRecord {
  const hidden = new Set(suppressed.map(([r, c]) => `${r},${c}`));
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    table: {
      rowVars: [rowVar],
      colVars: [colVar],
      valueVar: null,
      agg: 'count',
      rows: ['young', 'old'],
      cols: ['F', 'M'],
      margins: false,
      values: counts.map((row, r) => row.map((n, c) => (hidden.has(`${r},${c}`) ? null : n))),
      cells: counts.map((row) => row.map((n) => ({ records: n }))),
    },
  };
}

const csv = (record: TableRecord): string =>
  [
    `${record.table.rowVars[0]},F,M`,
    ...record.table.rows.map((row, r) =>
      [row, ...record.table.values[r].map((v) => (v === null ? '' : v))].join(','),
    ),
  ].join('\n');

const SAFE = table([
  [50, 40],
  [30, 20],
]);
const check = (record: TableRecord, content = csv(record), ledger: TableRecord[] = []) =>
  checkOutputFile(
    { fileName: 't.csv', kind: 'csv', content: Buffer.from(content), record },
    DEFAULT_RULE_SET,
    { released: ledger },
  );
const failing = (flags: FileFlag[]) =>
  flags.filter((f) => f.outcome === 'fail' && f.published).map((f) => [f.rule, f.cell]);

describe('checking one output file', () => {
  it('passes a safe table that matches its file', () => {
    expect(check(SAFE)).toMatchObject({ status: 'pass', publishedTable: 'match', flags: [] });
  });

  it('blocks a small cell, naming the rule and the cell', () => {
    const result = check(
      table([
        [50, 4],
        [30, 20],
      ]),
    );
    expect(result.status).toBe('fail');
    expect(failing(result.flags)).toEqual([['threshold', 'young / M']]);
  });

  it('sends a table whose small cell is suppressed to review, its flag marked as met', () => {
    const result = check(
      table(
        [
          [50, 4],
          [30, 20],
        ],
        [[0, 1]],
      ),
    );
    expect(result.status).toBe('review');
    expect(result.flags).toContainEqual(expect.objectContaining({ rule: 'threshold', published: false }));
    expect(result.suppressedCells).toBe(1);
  });

  it('blocks a file whose table is not the one its record describes', () => {
    const suppressed = table(
      [
        [50, 4],
        [30, 20],
      ],
      [[0, 1]],
    );
    const leaked = csv(suppressed).replace('young,50,', 'young,50,4');
    const result = check(suppressed, leaked);
    expect(result.status).toBe('fail');
    expect(result.publishedTable).toBe('mismatch');
    expect(failing(result.flags)).toEqual([['published_table', 'young / M']]);
    expect(check(SAFE, csv(SAFE).replace('old', 'elderly')).publishedTable).toBe('mismatch');
    expect(check(SAFE, csv(SAFE).split('\n').slice(0, 2).join('\n')).publishedTable).toBe('mismatch');
  });

  it('reads a JSON table too, and leaves an image of a table for a person', () => {
    const json = JSON.stringify({ rows: ['young', 'old'], cols: ['F', 'M'], values: SAFE.table.values });
    const ok = checkOutputFile(
      { fileName: 't.json', kind: 'json', content: Buffer.from(json), record: SAFE },
      DEFAULT_RULE_SET,
      { released: [] },
    );
    expect(ok.publishedTable).toBe('match');
    const wrong = JSON.stringify({
      values: [
        [50, 41],
        [30, 20],
      ],
    });
    expect(
      checkOutputFile(
        { fileName: 't.json', kind: 'json', content: Buffer.from(wrong), record: SAFE },
        DEFAULT_RULE_SET,
        { released: [] },
      ).status,
    ).toBe('fail');
    const png = checkOutputFile(
      { fileName: 't.png', kind: 'png', content: Buffer.alloc(8), record: SAFE },
      DEFAULT_RULE_SET,
      { released: [] },
    );
    expect(png).toMatchObject({ status: 'review', publishedTable: 'not_readable' });
  });

  it('leaves a file without a record to be reviewed by hand', () => {
    const result = checkOutputFile(
      { fileName: 'n.txt', kind: 'txt', content: Buffer.from('x'), record: null },
      DEFAULT_RULE_SET,
      { released: [] },
    );
    expect(result).toMatchObject({
      status: 'manual',
      flags: [expect.objectContaining({ rule: 'no_record' })],
    });
  });

  it('matches printed rounding of magnitudes but counts exactly', () => {
    expect(comparePublishedTable('csv', 'age,F,M\nyoung,50,40\nold,30,21\n', SAFE).outcome).toBe('mismatch');
  });
});

describe('differencing against the ledger', () => {
  const released = table([
    [50, 40],
    [30, 20],
  ]);

  it('catches a table that differs from a released one by a few records in a cell', () => {
    const next = table([
      [50, 40],
      [33, 20],
    ]);
    const ledger = ledgerForFile(
      [{ source: 'admissions.csv (released 2026-01-01)', record: released }],
      [],
      'x.csv',
    );
    const result = check(next, csv(next), ledger.released);
    expect(result.status).toBe('fail');
    expect(failing(result.flags)).toEqual([['differencing', 'old / F']]);
    expect(result.flags[0].reason).toMatch(/admissions\.csv \(released 2026-01-01\).*3 record/);
  });

  it('ignores differences of none or of at least the threshold, and tables on other variables', () => {
    const next = table([
      [50, 60],
      [30, 20],
    ]);
    expect(check(next, csv(next), [released]).status).toBe('pass');
    const other = table(
      [
        [50, 40],
        [33, 20],
      ],
      [],
      'region',
      'sex',
    );
    expect(check(other, csv(other), [released]).status).toBe('pass');
    expect(variablesKey(other)).not.toBe(variablesKey(released));
  });

  it('catches a pair submitted together, and a released table sharing the new one`s id', () => {
    const a = {
      ...table([
        [50, 40],
        [30, 20],
      ]),
      id: 'admissions',
    };
    const b = {
      ...table([
        [52, 40],
        [30, 20],
      ]),
      id: 'admissions',
    };
    const siblings = [
      { fileName: 'a.csv', record: a },
      { fileName: 'b.csv', record: b },
    ];
    const ledger = ledgerForFile([], siblings, 'b.csv');
    expect(ledger.released.map((r) => r.id)).toEqual(['a.csv in this request']);
    expect(failing(check(b, csv(b), ledger.released).flags)).toEqual([['differencing', 'young / F']]);
    const fromLedger = ledgerForFile(
      [{ source: 'admissions (released 2026-01-01)', record: a }],
      [],
      'b.csv',
    );
    expect(check(b, csv(b), fromLedger.released).status).toBe('fail');
  });

  it('keys tables the same way round or transposed', () => {
    const transposed = table([[1]], [], 'sex', 'age');
    expect(variablesKey(transposed)).toBe(variablesKey(released));
  });
});

describe('the rules that blocked a request', () => {
  const flag = (rule: string, outcome: 'fail' | 'review'): FileFlag => ({
    rule,
    outcome,
    row: null,
    col: null,
    cell: null,
    published: true,
    reason: '',
  });
  const result = (status: FileCheckResult['status'], flags: FileFlag[]): FileCheckResult => ({
    status,
    message: '',
    recordType: 'table',
    rules: null,
    suppressedCells: 0,
    publishedTable: null,
    flags,
  });

  it('names each failing rule of the failed files once, sorted; review findings and passing files do not count', () => {
    expect(
      blockingRules([
        result('fail', [
          flag('min_cell_count', 'fail'),
          flag('dominance', 'fail'),
          flag('min_cell_count', 'fail'),
        ]),
        result('fail', [flag('published_table', 'fail'), flag('zeros', 'review')]),
        result('review', [flag('p_percent', 'review')]),
        result('pass', []),
      ]),
    ).toEqual(['dominance', 'min_cell_count', 'published_table']);
    expect(blockingRules([result('fail', [])])).toEqual(['unreadable']);
    expect(blockingRules([result('pass', [])])).toEqual([]);
  });
});
