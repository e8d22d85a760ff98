import { parseNumber } from '../csv/values';
import { countStats } from './cell-stats';
import { type StatTable } from './table-model';
import { TableInputError } from './table-builder';

/**
 * A pre-aggregated count table as CSV records: the header holds the column labels after a corner cell, the
 * first field of each later record its row label, the rest the inner counts. Rows and columns keep the order
 * of the file, so the caller's own indices address the same cells.
 */
export function countTableFromRecords(records: string[][]): StatTable {
  if (records.length < 2)
    throw new TableInputError('the table needs a header row and at least one row of counts');
  const [header, ...body] = records;
  if (header.length < 2) throw new TableInputError('the table needs at least one column of counts');
  const cols = header.slice(1);
  const rows: string[] = [];
  unique(cols, 'column');
  const cells = body.map((fields, r) => {
    const line = r + 2;
    if (fields.length !== header.length) {
      throw new TableInputError(
        `malformed CSV at row ${line}: expected ${header.length} fields, found ${fields.length}`,
      );
    }
    rows.push(fields[0]);
    return fields.slice(1).map((text, c) => {
      const value = parseNumber(text);
      if (value === undefined || value < 0 || !Number.isInteger(value)) {
        throw new TableInputError(
          `count in row ${JSON.stringify(fields[0])}, column ${JSON.stringify(cols[c])} is not a whole number of at least 0: ${JSON.stringify(text)}`,
        );
      }
      return countStats(value);
    });
  });
  unique(rows, 'row');
  return {
    spec: { rowVars: [header[0]], colVars: [], agg: 'count' },
    rows,
    cols,
    cells,
    droppedRecords: 0,
  };
}

function unique(labels: string[], what: string): void {
  const seen = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) throw new TableInputError(`${what} label ${JSON.stringify(label)} appears twice`);
    seen.add(label);
  }
}
