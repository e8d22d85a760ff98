/**
 * An attacker by exhaustion, independent of the flow code: tries every integer value for the suppressed cells
 * of a table with margins, deducing any cell that is the last unknown of its row or column, and keeps the
 * assignments that reproduce every published row and column sum. The constraint matrix of a table is totally
 * unimodular, so the integer extremes found are the LP's extremes.
 */
export function bruteForceIntervals(
  grid: number[][],
  suppressed: [number, number][],
): { lower: number; upper: number }[] {
  const rows = grid.length;
  const cols = grid[0].length;
  const bound = grid[rows - 1][cols - 1];
  const constraints: { cells: [number, number][]; coef: number[] }[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: [number, number][] = [];
    for (let c = 0; c < cols; c++) cells.push([r, c]);
    constraints.push({ cells, coef: cells.map(([, c]) => (c === cols - 1 ? -1 : 1)) });
  }
  for (let c = 0; c < cols; c++) {
    const cells: [number, number][] = [];
    for (let r = 0; r < rows; r++) cells.push([r, c]);
    constraints.push({ cells, coef: cells.map(([r]) => (r === rows - 1 ? -1 : 1)) });
  }
  const unknown = new Map(suppressed.map(([r, c], i) => [`${r},${c}`, i]));
  const lower = suppressed.map(() => Infinity);
  const upper = suppressed.map(() => -Infinity);

  const solve = (values: (number | undefined)[]): void => {
    const assigned = [...values];
    // Propagate: a constraint with one unknown left fixes it.
    for (let changed = true; changed;) {
      changed = false;
      for (const { cells, coef } of constraints) {
        let sum = 0;
        let missing = -1;
        let count = 0;
        cells.forEach(([r, c], k) => {
          const i = unknown.get(`${r},${c}`);
          const v = i === undefined ? grid[r][c] : assigned[i];
          if (v === undefined) {
            missing = k;
            count++;
          } else {
            sum += coef[k] * v;
          }
        });
        if (count === 0 && sum !== 0) return;
        if (count === 1) {
          const v = -sum / coef[missing] + 0; // + 0 turns -0 into 0
          if (v < 0) return;
          const [r, c] = cells[missing];
          assigned[unknown.get(`${r},${c}`) as number] = v;
          changed = true;
        }
      }
    }
    const next = assigned.findIndex((v) => v === undefined);
    if (next < 0) {
      assigned.forEach((v, i) => {
        lower[i] = Math.min(lower[i], v as number);
        upper[i] = Math.max(upper[i], v as number);
      });
      return;
    }
    for (let v = 0; v <= 2 * bound; v++) {
      assigned[next] = v;
      solve(assigned);
    }
  };
  solve(suppressed.map(() => undefined));
  return suppressed.map((_, i) => ({ lower: lower[i], upper: upper[i] }));
}

/** A table with margins from inner counts. */
export function withMargins(inner: number[][]): number[][] {
  const rows = inner.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const totals = rows[0].map((_, c) => rows.reduce((sum, row) => sum + row[c], 0));
  return [...rows, totals];
}
