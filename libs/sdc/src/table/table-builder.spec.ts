import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregate } from './cell-stats';
import { tableFromCsv, TableInputError } from './table-builder';
import { toGrid } from './table-model';

const NURSERY = join(__dirname, '../../../../../shared/data/nursery.csv');

describe('tableFromCsv on the nursery data', () => {
  const text = readFileSync(NURSERY, 'utf8');

  it('counts parents by recommendation as pandas.crosstab does, with All margins', () => {
    // Expected counts from awk -F, 'NR>1{c[$1","$9]++}' nursery.csv; they match the crosstab of
    // recommendation by parents in the ACRO nursery demonstration (0/0/2 recommend, 0/132/196 very_recom).
    const grid = toGrid(
      tableFromCsv(text, { rowVars: ['parents'], colVars: ['recommendation'], agg: 'count' }),
      true,
    );
    expect(grid.rows).toEqual(['great_pret', 'pretentious', 'usual', 'All']);
    expect(grid.cols).toEqual(['not_recom', 'priority', 'recommend', 'spec_prior', 'very_recom', 'All']);
    expect(grid.stats.map((row) => row.map((s) => aggregate(s, 'count')))).toEqual([
      [1440, 858, 0, 2022, 0, 4320],
      [1440, 1484, 0, 1264, 132, 4320],
      [1440, 1924, 2, 758, 196, 4320],
      [4320, 4266, 2, 4044, 328, 12960],
    ]);
  });

  it('orders a mixed column ("1", "2", "3", "more") as strings and composes multi-variable labels', () => {
    const table = tableFromCsv(text, {
      rowVars: ['recommendation', 'children'],
      colVars: ['parents'],
      agg: 'count',
    });
    expect(table.rows.slice(0, 5)).toEqual([
      ['not_recom', '1'],
      ['not_recom', '2'],
      ['not_recom', '3'],
      ['not_recom', 'more'],
      ['priority', '1'],
    ]);
    // Only observed combinations appear (recommend occurs with children=1 only): awk gives 17 pairs.
    expect(table.rows).toHaveLength(17);
  });
});

describe('tableFromCsv ordering and labels', () => {
  it('orders numeric labels numerically and folds 1 and 1.0 into one level', () => {
    const table = tableFromCsv('r,c\n10,x\n9,x\n1.0,x\n1,y\n2.5,y\n', {
      rowVars: ['r'],
      colVars: ['c'],
      agg: 'count',
    });
    expect(table.rows).toEqual(['1.0', '2.5', '9.0', '10.0']);
    expect(table.cells[0].map((s) => s.count)).toEqual([1, 1]);
  });

  it('orders integer labels numerically and prints them as integers', () => {
    const table = tableFromCsv('r,c\n10,x\n9,x\n007,x\n', { rowVars: ['r'], colVars: ['c'], agg: 'count' });
    expect(table.rows).toEqual(['7', '9', '10']);
  });

  it('orders text by code point: upper case before lower case, astral characters last', () => {
    const table = tableFromCsv('r,c\nb,x\nZ,x\né,x\n\u{1F600},x\n\uFF5E,x\na,x\n', {
      rowVars: ['r'],
      colVars: ['c'],
      agg: 'count',
    });
    expect(table.rows).toEqual(['Z', 'a', 'b', 'é', '\uFF5E', '\u{1F600}']);
  });

  it('drops records with a missing row or column label, as pandas does, and says how many', () => {
    const table = tableFromCsv('r,c\na,x\n,x\nNA,x\na,\na,y\n', {
      rowVars: ['r'],
      colVars: ['c'],
      agg: 'count',
    });
    expect(table.droppedRecords).toBe(3);
    expect(table.cells).toHaveLength(1);
  });
});

describe('tableFromCsv magnitude statistics', () => {
  // Cell (g, x) holds 2, 4, 4, 4, 5, 5, 7, 9 and one missing value: by hand, sum 40, mean 5, sample std
  // sqrt(32 / 7) = 2.138090, median (4 + 5) / 2 = 4.5, min 2, max 9, largest contributions 9 and 7.
  const csv = 'g,c,v\ng,x,2\ng,x,4\ng,x,4\ng,x,4\ng,x,5\ng,x,5\ng,x,7\ng,x,9\ng,x,NA\nh,x,-3\n';
  const cell = (agg: 'sum' | 'mean' | 'std' | 'median' | 'min' | 'max' | 'count'): number | null =>
    aggregate(tableFromCsv(csv, { rowVars: ['g'], colVars: ['c'], valueVar: 'v', agg }).cells[0][0], agg);

  it('computes each aggregation as pandas would', () => {
    expect(cell('count')).toBe(8);
    expect(cell('sum')).toBe(40);
    expect(cell('mean')).toBe(5);
    expect(cell('std')).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(cell('median')).toBe(4.5);
    expect(cell('min')).toBe(2);
    expect(cell('max')).toBe(9);
  });

  it('keeps the two largest contributions, negatives and missing values per cell', () => {
    const table = tableFromCsv(csv, { rowVars: ['g'], colVars: ['c'], valueVar: 'v', agg: 'sum' });
    expect(table.cells[0][0]).toMatchObject({ records: 9, count: 8, missing: 1, negatives: 0, top: [9, 7] });
    expect(table.cells[1][0]).toMatchObject({ negatives: 1, top: [-3] });
  });

  it('merges margins with the pooled standard deviation', () => {
    const grid = toGrid(
      tableFromCsv(csv, { rowVars: ['g'], colVars: ['c'], valueVar: 'v', agg: 'std' }),
      true,
    );
    // All nine values 2,4,4,4,5,5,7,9,-3: mean 37/9, sum of squares 241, so variance (241 - 9 * (37/9)^2) / 8.
    const expected = Math.sqrt((241 - 37 ** 2 / 9) / 8);
    expect(aggregate(grid.stats[2][1], 'std')).toBeCloseTo(expected, 12);
  });
});

describe('tableFromCsv refuses bad input with a clear reason', () => {
  const spec = { rowVars: ['r'], colVars: ['c'], valueVar: 'v', agg: 'mean' as const };
  it.each([
    ['an unknown column', 'r,c,w\na,b,1\n', /unknown column "v"/],
    ['a non-numeric value', 'r,c,v\na,b,1\na,b,lots\n', /not numeric: "lots" at line 3/],
    ['a ragged record', 'r,c,v\na,b,1\na,b\n', /line 3: expected 3 fields, found 2/],
    ['no records', 'r,c,v\n', /no records/],
    ['nothing at all', '', /empty/],
  ])('%s', (_, text, message) => {
    expect(() => tableFromCsv(text, spec)).toThrow(TableInputError);
    expect(() => tableFromCsv(text, spec)).toThrow(message);
  });
});
