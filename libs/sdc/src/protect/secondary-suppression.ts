import { adjacencyOf, cheapestCycle } from './cycle-search';
import { SuppressionAudit } from './feasible-interval';
import { type TableNetwork } from './table-network';

/** How far a primary cell's feasible interval must reach above and below its true value. */
export interface Requirement {
  up: number;
  down: number;
}

export type SuppressionKind = 'primary' | 'secondary';

// The smallest movement that still means "not exactly recoverable"; also what a cell with no stated
// protection level is held to.
export const MIN_MOVE = 1e-9;

const RELATIVE_SLACK = 1e-9;

export function effectiveNeed(
  network: TableNetwork,
  index: number,
  req: Requirement,
  direction: 'up' | 'down',
): number {
  const arc = network.arcs[index];
  if (direction === 'up') return req.up > 0 || req.down > 0 ? req.up : MIN_MOVE;
  return arc.free ? req.down : Math.min(req.down, Math.max(0, arc.value));
}

export function isEnough(moved: number, need: number): boolean {
  return moved >= need * (1 - RELATIVE_SLACK);
}

/**
 * Adds complementary suppressions until every primary cell can move by its requirement in both directions.
 * Primaries are taken largest requirement first; for each direction that falls short, the cheapest cycle
 * (fewest records lost, reusing cells already suppressed) is suppressed whole, which alone carries the full
 * requirement. Suppressing more only widens every interval, so earlier cells stay protected.
 */
export function secondarySuppression(
  network: TableNetwork,
  primaries: ReadonlyMap<number, Requirement>,
): Map<number, SuppressionKind> {
  const kinds = new Map<number, SuppressionKind>();
  const suppressed = new Set<number>();
  for (const index of primaries.keys()) {
    kinds.set(index, 'primary');
    suppressed.add(index);
  }
  const adjacency = adjacencyOf(network);
  const order = [...primaries.entries()].sort(
    ([a, ra], [b, rb]) => Math.max(rb.up, rb.down) - Math.max(ra.up, ra.down) || a - b,
  );
  let residual = new SuppressionAudit(network, suppressed);
  for (const [index, req] of order) {
    for (const direction of ['up', 'down'] as const) {
      const need = effectiveNeed(network, index, req, direction);
      if (need <= 0) continue;
      if (isEnough(residual.movement(index, direction, need), need)) continue;
      const path = cheapestCycle(network, suppressed, index, direction, need, adjacency);
      const added = (path ?? []).filter((arc) => !suppressed.has(arc));
      for (const arc of added) {
        suppressed.add(arc);
        kinds.set(arc, 'secondary');
      }
      if (added.length > 0) residual = new SuppressionAudit(network, suppressed);
    }
  }
  return kinds;
}
