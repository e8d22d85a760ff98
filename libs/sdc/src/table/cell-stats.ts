/**
 * Everything the rules need to know about one cell, gathered in one pass. Each record is one contributor;
 * the two largest contributions are kept for NK (n <= 2) and the p% rule, mean and M2 (Welford) for a stable
 * standard deviation, and the values themselves only when a median is asked for.
 */
export interface CellStats {
  /** Records in the cell (rows whose grouping labels are all present). */
  records: number;
  /** Records whose value is present; equals `records` for a count table. */
  count: number;
  /** Records whose value is missing. */
  missing: number;
  /** Records whose value is negative. */
  negatives: number;
  sum: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  /** The largest contributions, largest first (at most two). */
  top: number[];
  values?: number[];
}

export function emptyStats(keepValues = false): CellStats {
  const stats: CellStats = {
    records: 0,
    count: 0,
    missing: 0,
    negatives: 0,
    sum: 0,
    mean: 0,
    m2: 0,
    min: Infinity,
    max: -Infinity,
    top: [],
  };
  if (keepValues) stats.values = [];
  return stats;
}

/** A count-only cell, as read from a pre-aggregated table. */
export function countStats(records: number): CellStats {
  return { ...emptyStats(), records, count: records, sum: records };
}

/** A record of a frequency table: it contributes one to the count, and nothing to dominance. */
export function addRecord(stats: CellStats): void {
  stats.records++;
  stats.count++;
  stats.sum++;
}

export function addMissing(stats: CellStats): void {
  stats.records++;
  stats.missing++;
}

export function addValue(stats: CellStats, x: number): void {
  stats.records++;
  const n = ++stats.count;
  stats.sum += x;
  const delta = x - stats.mean;
  stats.mean += delta / n;
  stats.m2 += delta * (x - stats.mean);
  if (x < stats.min) stats.min = x;
  if (x > stats.max) stats.max = x;
  if (x < 0) stats.negatives++;
  pushTop(stats.top, x);
  stats.values?.push(x);
}

function pushTop(top: number[], x: number): void {
  if (top.length < 2) {
    top.push(x);
    if (top.length === 2 && top[1] > top[0]) top.reverse();
  } else if (x > top[1]) {
    if (x > top[0]) {
      top[1] = top[0];
      top[0] = x;
    } else {
      top[1] = x;
    }
  }
}

/** Combines two cells' statistics, e.g. into a margin; Chan et al.'s update keeps the variance stable. */
export function mergeStats(a: CellStats, b: CellStats): CellStats {
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  const merged: CellStats = {
    records: a.records + b.records,
    count,
    missing: a.missing + b.missing,
    negatives: a.negatives + b.negatives,
    sum: a.sum + b.sum,
    mean: count === 0 ? 0 : a.mean + (delta * b.count) / count,
    m2: count === 0 ? 0 : a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    top: [...a.top, ...b.top].sort((x, y) => y - x).slice(0, 2),
  };
  if (a.values && b.values) merged.values = a.values.concat(b.values);
  return merged;
}

export const AGGREGATIONS = ['count', 'sum', 'mean', 'median', 'std', 'min', 'max'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** The published statistic of a cell, as pandas computes it; null where pandas gives NaN. */
export function aggregate(stats: CellStats, agg: Aggregation): number | null {
  switch (agg) {
    case 'count':
      return stats.count;
    case 'sum':
      return stats.sum;
    case 'mean':
      return stats.count === 0 ? null : stats.sum / stats.count;
    case 'std':
      return stats.count < 2 ? null : Math.sqrt(stats.m2 / (stats.count - 1));
    case 'min':
      return stats.count === 0 ? null : stats.min;
    case 'max':
      return stats.count === 0 ? null : stats.max;
    case 'median':
      return median(stats.values ?? []);
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
