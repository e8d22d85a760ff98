import { isFrequency, labelText, type Grid, type Label, type TableRecord } from '@tre/sdc';
import type { FileFlag } from './check-file';

/** What a checker is told about the data behind a file's record. */
export interface ExtractEvidence {
  /**
   * `verified`: the table was rebuilt from the service's own copy of the project's extract and equals the
   * record; `mismatch`: rebuilt, and it differs (the file is blocked); `derived`: the record names no file of
   * the extract, so its statistics are the researcher's word.
   */
  readonly kind: 'verified' | 'mismatch' | 'derived';
  readonly message: string;
  /** The extract file the table was rebuilt from, when the record's source is one. */
  readonly source: { readonly extractId: string; readonly file: string; readonly sha256: string } | null;
}

export const VERIFIED = 'verified against the extract';
export const DERIVED = "derived data: the record is the researcher's";

const RULE = 'extract_verification';
const close = (a: number, b: number): boolean =>
  a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function flag(row: number | null, col: number | null, cell: string | null, reason: string): FileFlag {
  return { rule: RULE, outcome: 'fail', row, col, cell, published: true, reason };
}

function sameLabels(axis: 'row' | 'column', record: readonly Label[], rebuilt: readonly Label[]): FileFlag[] {
  const want = rebuilt.map(labelText);
  const got = record.map(labelText);
  if (want.length === got.length && want.every((label, i) => label === got[i])) return [];
  return [
    flag(
      null,
      null,
      null,
      `the record's ${axis} labels (${got.join(', ')}) are not the extract's (${want.join(', ')})`,
    ),
  ];
}

/**
 * Compares a table record with the table rebuilt from the extract with the record's own variables and
 * aggregation: the same labels, and in every cell the same records (and, for a magnitude table, the same
 * total, largest contributions, negatives and missing values). Each difference is a blocking flag naming the
 * cell and both figures.
 */
export function compareWithExtract(record: TableRecord, rebuilt: Grid): FileFlag[] {
  const t = record.table;
  const flags = [...sameLabels('row', t.rows, rebuilt.rows), ...sameLabels('column', t.cols, rebuilt.cols)];
  if (flags.length > 0) return flags;
  const frequency = isFrequency(rebuilt.spec);
  rebuilt.stats.forEach((row, r) =>
    row.forEach((stats, c) => {
      const claimed = t.cells[r]?.[c];
      const where = `${labelText(t.rows[r])} / ${labelText(t.cols[c])}`;
      const differs = (what: string, says: unknown, is: unknown) =>
        flags.push(
          flag(
            r,
            c,
            where,
            `${where}: the record says ${what} ${String(says)}, the extract gives ${String(is)}`,
          ),
        );
      if (!claimed) return differs('nothing for the cell', '', stats.count);
      if (claimed.records !== stats.count) differs('records', claimed.records, stats.count);
      if (frequency) return;
      if (claimed.total === undefined || !close(claimed.total, stats.sum))
        differs('total', claimed.total, stats.sum);
      const top = claimed.top ?? [];
      if (top.some((v, i) => stats.top[i] === undefined || !close(v, stats.top[i])))
        differs('largest contributions', top.join(' '), stats.top.join(' '));
      if ((claimed.negatives ?? 0) !== stats.negatives)
        differs('negatives', claimed.negatives, stats.negatives);
      if ((claimed.missing ?? 0) !== stats.missing) differs('missing values', claimed.missing, stats.missing);
    }),
  );
  return flags;
}
