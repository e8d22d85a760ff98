import { DEFAULT_RULE_SET, type RuleSet } from '../rules/rule-set';
import { tableFromCsv } from '../table/table-builder';
import { toGrid } from '../table/table-model';
import { checkGrid, countFlags } from './cell-rules';
import { type Flag, statusOf } from './flags';

/** One magnitude cell holding exactly `values` (row g, column x). */
function cellFlags(values: (number | string)[], rules: RuleSet = DEFAULT_RULE_SET, agg = 'sum'): string[] {
  const csv = `g,c,v\n${values.map((v) => `g,x,${v}`).join('\n')}\n`;
  const table = tableFromCsv(csv, { rowVars: ['g'], colVars: ['c'], valueVar: 'v', agg: agg as 'sum' });
  return checkGrid(toGrid(table, false), rules).map((f) => f.rule);
}

const ones = (n: number): number[] => new Array<number>(n).fill(1);

describe('threshold and zeros', () => {
  it('fails a cell of 9 records and passes one of 10 (fewer than the threshold fails)', () => {
    expect(countFlags(9, 0, 0, DEFAULT_RULE_SET).map((f) => f.rule)).toEqual(['threshold']);
    expect(countFlags(10, 0, 0, DEFAULT_RULE_SET)).toEqual([]);
  });

  it('fails an empty cell under both zeros and threshold by default', () => {
    expect(countFlags(0, 0, 0, DEFAULT_RULE_SET).map((f) => f.rule)).toEqual(['zeros', 'threshold']);
  });

  it('lets empty cells through as structural zeros when zeros are configured off', () => {
    expect(countFlags(0, 0, 0, { ...DEFAULT_RULE_SET, zerosDisclosive: false })).toEqual([]);
    expect(countFlags(3, 0, 0, { ...DEFAULT_RULE_SET, zerosDisclosive: false }).map((f) => f.rule)).toEqual([
      'threshold',
    ]);
  });

  it('uses the configured threshold', () => {
    expect(countFlags(4, 0, 0, { ...DEFAULT_RULE_SET, threshold: 5 })).toHaveLength(1);
    expect(countFlags(5, 0, 0, { ...DEFAULT_RULE_SET, threshold: 5 })).toHaveLength(0);
  });
});

describe('NK dominance (n = 2, k = 90%): fails at or above k', () => {
  // Ten contributions so the threshold passes; the two largest are 45 + 45 = 90 of a total of 100.
  it('fails exactly at the boundary, 90 of 100', () => {
    expect(cellFlags([45, 45, ...ones(10)])).toContain('nk');
  });

  it('passes just below it, 90 of 100.01', () => {
    expect(cellFlags([45, 45, ...ones(9), 1.01])).not.toContain('nk');
  });

  it('fails at the boundary even when k * total is inexact in binary (0.9 of 7.7)', () => {
    // 3.465 + 3.465 = 6.93 = 0.9 * 7.7 in decimal; the remaining 0.77 is split over ten records.
    expect(cellFlags([3.465, 3.465, ...new Array<number>(10).fill(0.077)])).toContain('nk');
  });
});

describe('p% rule (p = 10%): (total - x1 - x2) / x1 < p fails', () => {
  it('fails when the remainder is 9.9% of the largest', () => {
    // x1 = 100, x2 = 1, remainder 9.9 spread over ten records: 9.9 / 100 < 0.1.
    expect(cellFlags([100, 1, ...new Array<number>(10).fill(0.99)])).toContain('p_percent');
  });

  it('passes when the remainder is exactly 10% of the largest', () => {
    expect(cellFlags([100, 1, ...ones(10)])).not.toContain('p_percent');
  });
});

describe('negative and missing values', () => {
  it('sends a cell with a negative contribution to review and skips dominance', () => {
    const rules = cellFlags([-5, 1000, 1000, ...ones(10)]);
    expect(rules).toContain('negative');
    expect(rules).not.toContain('nk');
    expect(statusOf([{ rule: 'negative', outcome: 'review', row: 0, col: 0, reason: '' }])).toBe('review');
  });

  it('ignores missing values by default and flags them for review when configured', () => {
    const values = [...ones(12), 'NA'];
    expect(cellFlags(values)).not.toContain('missing');
    expect(cellFlags(values, { ...DEFAULT_RULE_SET, missingReview: true })).toContain('missing');
  });

  it('counts only records with a value toward the threshold of a magnitude table', () => {
    expect(cellFlags([...ones(9), 'NA', ''])).toContain('threshold');
  });
});

describe('single values', () => {
  it('fails every non-empty cell of a max table, as each shows one record', () => {
    expect(cellFlags(ones(20), DEFAULT_RULE_SET, 'max')).toEqual(['single_value']);
  });

  it('does not apply to a mean table', () => {
    expect(cellFlags(ones(20), DEFAULT_RULE_SET, 'mean')).toEqual([]);
  });
});

describe('statusOf', () => {
  const f = (outcome: 'fail' | 'review'): Flag => ({
    rule: 'threshold',
    outcome,
    row: 0,
    col: 0,
    reason: '',
  });
  it('is fail with any fail, review with only reviews, pass with none', () => {
    expect(statusOf([f('review'), f('fail')])).toBe('fail');
    expect(statusOf([f('review')])).toBe('review');
    expect(statusOf([])).toBe('pass');
  });
});
