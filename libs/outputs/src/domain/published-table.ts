import { expectedTable, labelText, parseCsv, sameStatistic, type Label, type TableRecord } from '@tre/sdc';
import { isObject } from '@tre/sdc';
import type { OutputKind } from './sniff';

/** Where the table in a file differs from the one its record describes. */
export interface TableMismatch {
  /** Cell position in the record's table, or null for a difference of shape or labels. */
  readonly row: number | null;
  readonly col: number | null;
  readonly reason: string;
}

export type TableComparison =
  | { readonly outcome: 'match' }
  | { readonly outcome: 'mismatch'; readonly mismatches: TableMismatch[] }
  | { readonly outcome: 'not_readable'; readonly reason: string };

/** Marks a published file may use for a suppressed cell. */
const SUPPRESSED = new Set(['', 'x', '*', 'c', '[c]', 'na', 'nan', 'null', 'suppressed', '..', '-']);
const MAX_REPORTED = 50;

function parseCell(raw: unknown): number | null | 'bad' {
  if (raw === null) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : 'bad';
  if (typeof raw !== 'string') return 'bad';
  const text = raw.trim();
  if (SUPPRESSED.has(text.toLowerCase())) return null;
  const n = Number(text.replace(/,/g, ''));
  return text !== '' && Number.isFinite(n) ? n : 'bad';
}

function sameLabel(published: string, described: Label): boolean {
  const want = labelText(described).trim();
  const got = published.trim();
  if (got === want) return true;
  const a = Number(got);
  const b = Number(want);
  return got !== '' && want !== '' && Number.isFinite(a) && Number.isFinite(b) && a === b;
}

const show = (v: number | null): string => (v === null ? 'blank (suppressed)' : String(v));

/**
 * Compares the file's cells with the record's table after suppression and rounding as the engine rebuilds it
 * from the record's own statistics (`expectedTable`), not with the record's `values` alone: a count is
 * published as its records, a magnitude as its record's value, a suppressed cell blank.
 */
function compareValues(values: unknown[][], record: TableRecord): TableMismatch[] {
  const t = record.table;
  const expected = expectedTable(record);
  const mismatches: TableMismatch[] = [];
  if (values.length !== t.rows.length)
    return [
      {
        row: null,
        col: null,
        reason: `the file has ${values.length} table rows, the record describes ${t.rows.length}`,
      },
    ];
  expected.forEach((row, r) =>
    row.forEach((want, c) => {
      if (mismatches.length >= MAX_REPORTED) return;
      const where = `${labelText(t.rows[r])} / ${labelText(t.cols[c])}`;
      const published = parseCell(values[r][c]);
      const records = t.cells[r][c].records;
      const basis = want.derived ? ` (the record's statistics: ${records} record(s))` : '';
      if (published === 'bad') {
        mismatches.push({
          row: r,
          col: c,
          reason: `${where}: ${JSON.stringify(values[r][c])} is not a number`,
        });
      } else if (want.value === null && published !== null) {
        mismatches.push({
          row: r,
          col: c,
          reason: `${where} must be blank (suppressed or empty in the record) but the file publishes ${published}`,
        });
      } else if (!sameStatistic(published, want.value)) {
        mismatches.push({
          row: r,
          col: c,
          reason: `${where} is ${show(published)} in the file but ${show(want.value)} in the record${
            want.recordSays === undefined
              ? basis
              : ` (its values say ${show(want.recordSays)}, its statistics ${records} record(s))`
          }`,
        });
      } else if (want.recordSays !== undefined) {
        mismatches.push({
          row: r,
          col: c,
          reason: `${where}: the record publishes ${show(want.recordSays)} but its own statistics give ${show(want.value)}${basis}`,
        });
      }
    }),
  );
  return mismatches;
}

function compareCsv(text: string, record: TableRecord): TableComparison {
  const t = record.table;
  const lead = Math.max(1, t.rowVars.length);
  const headerRows = Math.max(1, t.colVars.length);
  const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length < headerRows)
    return {
      outcome: 'mismatch',
      mismatches: [{ row: null, col: null, reason: 'the file has no table header' }],
    };
  const width = lead + t.cols.length;
  const mismatches: TableMismatch[] = [];
  for (let h = 0; h < headerRows; h++) {
    const header = rows[h];
    if (header.length !== width) {
      mismatches.push({
        row: null,
        col: null,
        reason: `the file's table has ${header.length - lead} columns, the record describes ${t.cols.length}`,
      });
      return { outcome: 'mismatch', mismatches };
    }
    t.cols.forEach((label, c) => {
      const part = Array.isArray(label) && t.colVars.length > 1 ? label[h] : h === 0 ? labelText(label) : '';
      if (!sameLabel(header[lead + c], part))
        mismatches.push({
          row: null,
          col: c,
          reason: `column ${c + 1} is labelled ${JSON.stringify(header[lead + c])} in the file, ${JSON.stringify(part)} in the record`,
        });
    });
  }
  let body = rows.slice(headerRows);
  // pandas writes a row naming the index variables under a multi-row header; it holds no values.
  if (body.length === t.rows.length + 1 && body[0].slice(lead).every((cell) => cell.trim() === ''))
    body = body.slice(1);
  body.forEach((row, r) => {
    const label = t.rows[r];
    if (label === undefined) return;
    const parts = Array.isArray(label) && lead > 1 ? label : [labelText(label)];
    parts.forEach((part, i) => {
      if (!sameLabel(row[i] ?? '', part))
        mismatches.push({
          row: r,
          col: null,
          reason: `row ${r + 1} is labelled ${JSON.stringify(row[i] ?? '')} in the file, ${JSON.stringify(part)} in the record`,
        });
    });
  });
  mismatches.push(
    ...compareValues(
      body.map((row) => row.slice(lead)),
      record,
    ),
  );
  return mismatches.length ? { outcome: 'mismatch', mismatches } : { outcome: 'match' };
}

function compareJson(text: string, record: TableRecord): TableComparison {
  const parsed: unknown = JSON.parse(text);
  const holder = isObject(parsed) && isObject(parsed.table) ? parsed.table : parsed;
  const values = Array.isArray(holder) ? holder : isObject(holder) ? holder.values : undefined;
  if (!Array.isArray(values) || !values.every((row) => Array.isArray(row)))
    return {
      outcome: 'mismatch',
      mismatches: [
        {
          row: null,
          col: null,
          reason:
            'the JSON file holds no table: expected {"values": [[...]]} (optionally "rows" and "cols") or an array of rows',
        },
      ],
    };
  const mismatches: TableMismatch[] = [];
  const t = record.table;
  if (isObject(holder)) {
    for (const [axis, labels] of [
      ['rows', t.rows],
      ['cols', t.cols],
    ] as const) {
      const published = holder[axis];
      if (published === undefined) continue;
      const same =
        Array.isArray(published) &&
        published.length === labels.length &&
        published.every((l, i) =>
          sameLabel(Array.isArray(l) ? l.map(String).join(' / ') : String(l), labels[i]),
        );
      if (!same)
        mismatches.push({
          row: null,
          col: null,
          reason: `the file's ${axis} labels differ from the record's`,
        });
    }
  }
  const rows = values as unknown[][];
  if (rows.some((row) => row.length !== t.cols.length))
    mismatches.push({
      row: null,
      col: null,
      reason: `every row of the file's table must have ${t.cols.length} values`,
    });
  else mismatches.push(...compareValues(rows, record));
  return mismatches.length ? { outcome: 'mismatch', mismatches } : { outcome: 'match' };
}

/**
 * Is the table published in the file the one its record describes, after suppression? Only CSV and JSON
 * files can be read; a table record on a text, image or PDF file is left for a person to compare.
 */
export function comparePublishedTable(kind: OutputKind, text: string, record: TableRecord): TableComparison {
  if (kind === 'csv') return compareCsv(text, record);
  if (kind === 'json') return compareJson(text, record);
  return {
    outcome: 'not_readable',
    reason: `a ${kind.toUpperCase()} file cannot be read as a table: a checker compares it with its record by hand`,
  };
}
