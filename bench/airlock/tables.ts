import { RECORD_SCHEMA, RECORD_VERSION, type TableRecord } from '@tre/sdc';

const SIDE = 50;

/**
 * A 50 x 50 count table (2,500 cells) with its record, as `tre sdc table --write-record` would write it. Every
 * cell holds at least 10 records, and tables of one request differ cell by cell by at least 10, so the
 * checks (threshold, zeros, the table against its record, differencing between the request's tables) all run
 * in full and pass.
 */
export function benchTable(request: number, file: number): { csv: string; record: TableRecord } {
  const rows = Array.from({ length: SIDE }, (_, i) => `region_${String(i).padStart(2, '0')}`);
  const cols = Array.from({ length: SIDE }, (_, j) => `age_${String(j).padStart(2, '0')}`);
  const values = rows.map((_, i) => cols.map((__, j) => 10 + ((i * 7 + j * 13 + request) % 90) + file * 10));
  const record: TableRecord = {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    id: `request-${request}-table-${file}`,
    table: {
      rowVars: ['region'],
      colVars: ['age_band'],
      valueVar: null,
      agg: 'count',
      rows,
      cols,
      margins: false,
      values,
      cells: values.map((row) => row.map((records) => ({ records }))),
    },
  };
  const lines = [['region', ...cols].join(','), ...rows.map((r, i) => [r, ...values[i]].join(','))];
  return { csv: `${lines.join('\n')}\n`, record };
}
