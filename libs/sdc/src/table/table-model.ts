import { type Aggregation, type CellStats, emptyStats, mergeStats } from './cell-stats';
import { type Label, MARGIN_LABEL } from './labels';

export interface TableSpec {
  rowVars: string[];
  colVars: string[];
  /** The values column; absent for a frequency table. */
  valueVar?: string;
  agg: Aggregation;
}

/** The inner table, rows and columns in pandas crosstab order, one statistics record per cell. */
export interface StatTable {
  spec: TableSpec;
  rows: Label[];
  cols: Label[];
  cells: CellStats[][];
  /** Records left out because a row or column label was missing (pandas drops them too). */
  droppedRecords: number;
}

/** The table as published: with margins, the last row and column are the `All` totals. */
export interface Grid {
  spec: TableSpec;
  rows: Label[];
  cols: Label[];
  stats: CellStats[][];
  margins: boolean;
}

/** Frequency tables are judged on counts only; magnitude tables also on dominance, negatives and missing. */
export function isFrequency(spec: TableSpec): boolean {
  return spec.agg === 'count';
}

export function toGrid(table: StatTable, margins: boolean): Grid {
  const { rows, cols, cells, spec } = table;
  if (!margins) return { spec, rows, cols, stats: cells, margins };
  const keep = spec.agg === 'median';
  const stats = cells.map((row) => [...row, row.reduce(mergeStats, emptyStats(keep))]);
  const totals: CellStats[] = [];
  for (let c = 0; c <= cols.length; c++) {
    totals.push(stats.reduce((acc, row) => mergeStats(acc, row[c]), emptyStats(keep)));
  }
  stats.push(totals);
  return { spec, rows: [...rows, MARGIN_LABEL], cols: [...cols, MARGIN_LABEL], stats, margins };
}
