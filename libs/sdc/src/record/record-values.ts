import { type Rounding, roundValue } from '../protect/rounding';
import { type CellRecord, type TableRecord } from './record-types';

/** `"base N"` or `"midpoint6"`, as `PublishedTable.rounding` and a record's `table.rounding` write it. */
export function parseRoundingText(text: string | null | undefined): Rounding | undefined {
  if (text === null || text === undefined) return undefined;
  if (text === 'midpoint6') return { kind: 'midpoint6' };
  const base = /^base ([1-9]\d*)$/.exec(text);
  return base ? { kind: 'base', base: Number(base[1]) } : undefined;
}

/**
 * The statistic a cell's own record implies, before rounding: a count is its records, a sum its total, a
 * mean total / records, a maximum its largest contribution; an empty cell has no mean or maximum (null).
 * `undefined` where the record carries nothing to derive it from (median, std, min, or a magnitude cell
 * without `total`/`top`): then only the record's published value can stand for it.
 */
export function derivedCellValue(
  cell: CellRecord,
  agg: TableRecord['table']['agg'],
): number | null | undefined {
  switch (agg) {
    case 'count':
      return cell.records;
    case 'sum':
      return cell.total;
    case 'mean':
      if (cell.records === 0) return null;
      return cell.total === undefined ? undefined : cell.total / cell.records;
    case 'max':
      if (cell.records === 0) return null;
      return cell.top?.[0];
    default:
      return undefined;
  }
}

/** One cell of the table a record describes, as it must be published. */
export interface ExpectedCell {
  /** The value to publish after suppression and rounding; null: the cell must be blank. */
  readonly value: number | null;
  /** Whether `value` comes from the cell's statistics (true) or only from the record's published value. */
  readonly derived: boolean;
  /** The record's own published value, when it disagrees with its statistics. */
  readonly recordSays?: number | null;
}

/**
 * The record's table after suppression and rounding, built from the statistics the checks judge (not from
 * the record's `values`, which are the researcher's word): a suppressed cell (null in `values`) is blank,
 * every other cell is its derived statistic, rounded as the record declares. Where a statistic cannot be
 * derived, the record's value stands. A record whose `values` disagree with its own statistics is marked
 * (`recordSays`), so a record claiming 40 records for a published 4 cannot pass as consistent.
 */
export function expectedTable(record: TableRecord): ExpectedCell[][] {
  const t = record.table;
  const rounding = parseRoundingText(t.rounding);
  return t.values.map((row, r) =>
    row.map((published, c) => {
      if (published === null) return { value: null, derived: false };
      const raw = derivedCellValue(t.cells[r][c], t.agg);
      if (raw === undefined) return { value: published, derived: false };
      const value = raw === null || rounding === undefined ? raw : roundValue(raw, rounding);
      return sameStatistic(published, value)
        ? { value, derived: true }
        : { value, derived: true, recordSays: published };
    }),
  );
}

/**
 * Counts (and rounded values) must match exactly; other statistics may be printed rounded, so they match
 * within a relative 1e-4 (a table printed to five significant figures).
 */
export function sameStatistic(published: number | null, expected: number | null): boolean {
  if (published === null || expected === null) return published === expected;
  if (Number.isInteger(expected)) return published === expected;
  return Math.abs(published - expected) <= 1e-4 * Math.max(1, Math.abs(expected));
}
