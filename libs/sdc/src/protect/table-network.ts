/**
 * A two-dimensional table with margins is a circulation: inner cell (i, j) is an arc row i -> column j, row
 * total i an arc s -> row i, column total j an arc column j -> t and the grand total an arc t -> s. The
 * additivity of the table is exactly flow conservation, so the values an attacker cannot see are a flow
 * with fixed node balances, and the feasible interval of a suppressed cell is a pair of maximum flows.
 */
export interface Arc {
  row: number;
  col: number;
  from: number;
  to: number;
  /** The cell's additive value: the count, or the sum for magnitude tables. */
  value: number;
  /** A cell with negative contributions may be negative, so nothing bounds it from below. */
  free: boolean;
  /** Information lost by suppressing it: fewest records first. */
  cost: number;
}

export interface TableNetwork {
  /** Inner rows and columns (margins excluded). */
  rows: number;
  cols: number;
  nodes: number;
  arcs: Arc[];
  /** arcs[index(row, col)] is the arc of a published-grid cell. */
  index(row: number, col: number): number;
}

export const SOURCE = 0;
export const SINK = 1;

export interface NetworkCell {
  value: number;
  free: boolean;
  records: number;
}

/** Builds the network of a grid with margins: `cells` is (rows + 1) x (cols + 1), totals last. */
export function tableNetwork(cells: NetworkCell[][]): TableNetwork {
  const rows = cells.length - 1;
  const cols = cells[0].length - 1;
  const rowNode = (i: number): number => 2 + i;
  const colNode = (j: number): number => 2 + rows + j;
  const arcs: Arc[] = [];
  for (let i = 0; i <= rows; i++) {
    for (let j = 0; j <= cols; j++) {
      const cell = cells[i][j];
      let from: number;
      let to: number;
      if (i < rows && j < cols) [from, to] = [rowNode(i), colNode(j)];
      else if (i < rows) [from, to] = [SOURCE, rowNode(i)];
      else if (j < cols) [from, to] = [colNode(j), SINK];
      else [from, to] = [SINK, SOURCE];
      arcs.push({ row: i, col: j, from, to, value: cell.value, free: cell.free, cost: 1 + cell.records });
    }
  }
  return { rows, cols, nodes: rows + cols + 2, arcs, index: (i, j) => i * (cols + 1) + j };
}
