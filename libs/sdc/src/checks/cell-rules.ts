import { type CellStats } from '../table/cell-stats';
import { type Grid, isFrequency } from '../table/table-model';
import { type RuleSet } from '../rules/rule-set';
import { type Flag, flag } from './flags';

// Shares are compared with a relative tolerance so that a cell exactly at the NK boundary (x1 + x2 = k * total)
// fails even when k * total is not exactly representable in binary.
const TOLERANCE = 1e-12;

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toString()}%`;
}

/** The count rules (threshold and zeros) for a cell built from `n` contributors. */
export function countFlags(n: number, row: number, col: number, rules: RuleSet): Flag[] {
  const flags: Flag[] = [];
  if (n === 0 && rules.zerosDisclosive) {
    flags.push(
      flag('zeros', row, col, 'the cell is empty: publishing it shows that nobody has this combination'),
    );
  }
  if (n < rules.threshold && (n > 0 || rules.zerosDisclosive)) {
    const what = n === 1 ? '1 record' : `${n} records`;
    flags.push(
      flag('threshold', row, col, `the cell is built from ${what}; at least ${rules.threshold} are needed`),
    );
  }
  return flags;
}

/** Dominance rules on the largest contributions; undefined (skipped) with negatives or a non-positive total. */
export function dominanceFlags(stats: CellStats, row: number, col: number, rules: RuleSet): Flag[] {
  const flags: Flag[] = [];
  if (stats.count === 0 || stats.negatives > 0 || stats.sum <= 0) return flags;
  const x1 = stats.top[0] ?? 0;
  const x2 = stats.top[1] ?? 0;
  const topN = rules.nk.n === 1 ? x1 : x1 + x2;
  if (topN >= rules.nk.k * stats.sum * (1 - TOLERANCE)) {
    const who =
      rules.nk.n === 1 ? 'the largest contribution makes' : `the ${rules.nk.n} largest contributions make`;
    flags.push(
      flag(
        'nk',
        row,
        col,
        `${who} up ${pct(topN / stats.sum)} of the cell total; it must be below ${pct(rules.nk.k)}`,
      ),
    );
  }
  if (x1 > 0 && (stats.sum - x1 - x2) / x1 < rules.pPercent.p) {
    flags.push(
      flag(
        'p_percent',
        row,
        col,
        `without its two largest contributions the cell total is ${pct((stats.sum - x1 - x2) / x1)} of the largest ` +
          `(at least ${pct(rules.pPercent.p)} is needed): the second largest contributor could estimate the largest too closely`,
      ),
    );
  }
  return flags;
}

/** Every rule that applies to a table cell (margins included), in rule order per cell. */
export function checkGrid(grid: Grid, rules: RuleSet): Flag[] {
  const flags: Flag[] = [];
  const frequency = isFrequency(grid.spec);
  grid.stats.forEach((cells, row) =>
    cells.forEach((stats, col) => {
      flags.push(...countFlags(stats.count, row, col, rules));
      if (frequency) return;
      if (stats.negatives > 0 && rules.negativeReview) {
        flags.push(
          flag(
            'negative',
            row,
            col,
            `the cell has ${stats.negatives} negative value(s): dominance cannot be judged, so a person must review it`,
          ),
        );
      }
      flags.push(...dominanceFlags(stats, row, col, rules));
      if (stats.missing > 0 && rules.missingReview) {
        flags.push(flag('missing', row, col, `the cell has ${stats.missing} record(s) with a missing value`));
      }
      if (rules.singleValue && stats.count > 0 && (grid.spec.agg === 'min' || grid.spec.agg === 'max')) {
        flags.push(flag('single_value', row, col, `a ${grid.spec.agg} shows one record's own value`));
      }
    }),
  );
  return flags;
}
