import { DEFAULT_RULE_SET } from '../rules/rule-set';
import { analyseGrid } from '../report/analyse-table';
import { countStats } from '../table/cell-stats';
import { toGrid } from '../table/table-model';
import { checkRecord } from './check-record';
import { recordFromTable } from './record-from-table';
import { type TableRecord } from './record-types';
import { validateLedger, validateRecord } from './validate-record';

const base = { schema: 'tre-sdc-record', version: '1.0.0' };

function countRecord(inner: number[][], id: string, suppress = false): TableRecord {
  const table = {
    spec: { rowVars: ['sex'], colVars: ['region'], agg: 'count' as const },
    rows: inner.map((_, i) => `s${i}`),
    cols: inner[0].map((_, j) => `r${j}`),
    cells: inner.map((row) => row.map((v) => countStats(v))),
    droppedRecords: 0,
  };
  const grid = toGrid(table, true);
  return recordFromTable(grid, analyseGrid(grid, DEFAULT_RULE_SET, { suppress }), id);
}

describe('validateRecord', () => {
  it('names every offending path', () => {
    expect(() =>
      validateRecord({
        ...base,
        type: 'histogram',
        histogram: { bins: [{ lower: 0, upper: 1, count: -1 }] },
      }),
    ).toThrow('histogram.bins[0].count must be a whole number of at least 0');
  });

  it('refuses another schema or a major version it does not read', () => {
    expect(() => validateRecord({ ...base, schema: 'acro', type: 'regression', regression: {} })).toThrow(
      'schema must be "tre-sdc-record"',
    );
    expect(() => validateRecord({ ...base, version: '2.0.0', type: 'regression', regression: {} })).toThrow(
      'this checker reads version 1.x records',
    );
  });

  it('refuses a table whose cells do not match its labels', () => {
    const record = countRecord([[20, 30]], 'a');
    record.table.cells[0].pop();
    expect(() => validateRecord(JSON.parse(JSON.stringify(record)))).toThrow(
      'table.cells[0] must have 3 cells',
    );
  });
});

describe('checkRecord', () => {
  it('passes a regression with 10 residual degrees of freedom and fails one with 9', () => {
    const dof = (residualDof: number): string =>
      checkRecord(
        validateRecord({ ...base, type: 'regression', regression: { residualDof } }),
        DEFAULT_RULE_SET,
      ).status;
    expect(dof(10)).toBe('pass');
    expect(dof(9)).toBe('fail');
  });

  it('derives degrees of freedom from observations and parameters', () => {
    const record = validateRecord({
      ...base,
      type: 'regression',
      regression: { observations: 15, parameters: 6 },
    });
    expect(checkRecord(record, DEFAULT_RULE_SET).checks.dof).toEqual([[0, 0]]);
  });

  it('fails a histogram bin below the threshold, addressing bins as [bin, 0]', () => {
    const bins = [12, 4, 30].map((count, i) => ({ lower: i, upper: i + 1, count }));
    const result = checkRecord(
      validateRecord({ ...base, type: 'histogram', histogram: { bins } }),
      DEFAULT_RULE_SET,
    );
    expect(result.status).toBe('fail');
    expect(result.checks.threshold).toEqual([[1, 0]]);
  });

  it('fails a survival step where fewer than the threshold leave the risk set', () => {
    // 100 -> 88 (12 leave), 88 -> 85 (3 leave), 85 -> 70 (15 leave): only the second step fails.
    const steps = [
      { time: 1, atRisk: 100, events: 12 },
      { time: 2, atRisk: 88, events: 3 },
      { time: 3, atRisk: 85, events: 15 },
      { time: 4, atRisk: 70, events: 10 },
    ];
    const result = checkRecord(
      validateRecord({ ...base, type: 'survival', survival: { steps } }),
      DEFAULT_RULE_SET,
    );
    expect(result.checks.threshold).toEqual([[1, 0]]);
  });

  it('fails a min, a max and a single-record percentile; asks about a percentile that does not say', () => {
    const statistics = [
      { variable: 'age', statistic: 'mean', records: 50 },
      { variable: 'age', statistic: 'max', records: 50 },
      { variable: 'age', statistic: 'percentile', percentile: 90, records: 50, singleRecord: true },
      { variable: 'age', statistic: 'median', records: 50 },
    ];
    const result = checkRecord(validateRecord({ ...base, type: 'summary', statistics }), DEFAULT_RULE_SET);
    expect(result.checks.single_value).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(result.checks.incomplete).toEqual([[3, 0]]);
    expect(result.status).toBe('fail');
  });

  it('sends an unknown output type to review', () => {
    const result = checkRecord(validateRecord({ ...base, type: 'word-cloud' }), DEFAULT_RULE_SET);
    expect(result.status).toBe('review');
    expect(result.summary.unknown_type).toBe(1);
  });

  it('fails a table record that publishes a small cell, and reviews it once protected', () => {
    const inner = [
      [3, 20, 30],
      [15, 25, 35],
      [12, 18, 40],
    ];
    expect(checkRecord(countRecord(inner, 'raw'), DEFAULT_RULE_SET).status).toBe('fail');
    expect(checkRecord(countRecord(inner, 'safe', true), DEFAULT_RULE_SET).status).toBe('review');
  });

  it('fails a record whose suppression the margins undo', () => {
    const record = countRecord(
      [
        [3, 20, 30],
        [15, 25, 35],
      ],
      'naive',
    );
    record.table.values[0][0] = null;
    const result = checkRecord(record, DEFAULT_RULE_SET);
    expect(result.status).toBe('fail');
    expect(result.audit).toEqual([
      expect.objectContaining({ row: 0, col: 0, lower: 3, upper: 3, protected: false }),
    ]);
  });
});

describe('differencing against the release ledger', () => {
  // Released: 40 and 55 in the first row. New table on the same variables: 43 (3 more: a group of 3 is
  // revealed by subtraction) and 55 (identical, nothing revealed); the margin 95 -> 98 differs by 3 too.
  const released = countRecord(
    [
      [40, 55],
      [60, 70],
    ],
    'release-1',
  );
  const next = countRecord(
    [
      [43, 55],
      [60, 70],
    ],
    'request-2',
  );

  it('flags cells that differ from a released table by fewer than the threshold', () => {
    const ledger = validateLedger({ schema: 'tre-sdc-ledger', released: [released] });
    const result = checkRecord(next, DEFAULT_RULE_SET, ledger);
    expect(result.checks.differencing).toEqual([
      [0, 0],
      [0, 2],
      [2, 0],
      [2, 2],
    ]);
    expect(result.status).toBe('fail');
  });

  it('matches a released table with rows and columns swapped', () => {
    const transposed = JSON.parse(JSON.stringify(released)) as TableRecord;
    const t = transposed.table;
    [t.rowVars, t.colVars, t.rows, t.cols] = [t.colVars, t.rowVars, t.cols, t.rows];
    t.values = t.values[0].map((_, c) => t.values.map((row) => row[c]));
    t.cells = t.cells[0].map((_, c) => t.cells.map((row) => row[c]));
    expect(checkRecord(next, DEFAULT_RULE_SET, validateLedger([transposed])).summary.differencing).toBe(4);
  });

  it('ignores tables on other variables', () => {
    const other = JSON.parse(JSON.stringify(released)) as TableRecord;
    other.table.colVars = ['age'];
    expect(checkRecord(next, DEFAULT_RULE_SET, validateLedger([other])).summary.differencing).toBe(0);
  });
});
