import { type SdcResult } from '../report/analyse-table';
import { type Grid, isFrequency } from '../table/table-model';
import { RECORD_SCHEMA, RECORD_VERSION, type TableRecord } from './record-types';

/** The disclosure-control record of a checked table, as published (suppressed cells null), to travel with it. */
export function recordFromTable(grid: Grid, result: SdcResult, id?: string): TableRecord {
  const frequency = isFrequency(grid.spec);
  const table = result.table;
  if (!table) throw new Error('the result holds no table');
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    ...(id === undefined ? {} : { id }),
    table: {
      rowVars: grid.spec.rowVars,
      colVars: grid.spec.colVars,
      valueVar: grid.spec.valueVar ?? null,
      agg: grid.spec.agg,
      rows: grid.rows,
      cols: grid.cols,
      margins: grid.margins,
      values: table.values,
      ...(table.rounding === null ? {} : { rounding: table.rounding }),
      cells: grid.stats.map((row) =>
        row.map((s) =>
          frequency
            ? { records: s.count }
            : { records: s.count, total: s.sum, top: [...s.top], negatives: s.negatives, missing: s.missing },
        ),
      ),
    },
  };
}
