import { type RuleSet } from '../rules/rule-set';
import { type CellStats } from '../table/cell-stats';
import { type Requirement } from './secondary-suppression';

/**
 * The protection level: how far either side of its true value a primary cell's feasible interval must reach.
 * Count cells: ceil(countRangePercent% of the threshold) records (5 with the defaults), or down to zero.
 * Magnitude cells: magnitudePercent% of the cell total, and never less than the p% rule's own sensitivity
 * p * x1 - (total - x1 - x2), the amount by which the second largest contributor's estimate must be spoiled.
 */
export function requirementFor(stats: CellStats, frequency: boolean, rules: RuleSet): Requirement {
  if (frequency) {
    const d = Math.ceil((rules.threshold * rules.protection.countRangePercent) / 100);
    return { up: d, down: d };
  }
  const x1 = stats.top[0] ?? 0;
  const x2 = stats.top[1] ?? 0;
  const sensitivity = rules.pPercent.p * x1 - (stats.sum - x1 - x2);
  const d = Math.max((Math.abs(stats.sum) * rules.protection.magnitudePercent) / 100, sensitivity, 0);
  return { up: d, down: d };
}
