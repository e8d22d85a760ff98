import { type Flag } from '../checks/flags';
import { type RuleSet } from '../rules/rule-set';
import { type CellStats } from '../table/cell-stats';
import { type Grid, isFrequency } from '../table/table-model';
import { SuppressionAudit } from './feasible-interval';
import { requirementFor } from './protection-level';
import {
  effectiveNeed,
  isEnough,
  MIN_MOVE,
  type Requirement,
  secondarySuppression,
  type SuppressionKind,
} from './secondary-suppression';
import { tableNetwork, type TableNetwork } from './table-network';

export interface SuppressedCell {
  row: number;
  col: number;
  kind: SuppressionKind;
}

/** What an attacker holding the published table can learn about a suppressed cell. */
export interface AuditEntry {
  row: number;
  col: number;
  kind: SuppressionKind;
  /** The exact feasible interval, in the units of the published statistic; null where unbounded. */
  lower: number | null;
  upper: number | null;
  protected: boolean;
  reason: string;
}

export interface Protection {
  suppressed: SuppressedCell[];
  audit: AuditEntry[];
}

/** The additive quantity behind a cell: counts for frequency tables, sums for magnitude tables. */
export function additiveValue(stats: CellStats, frequency: boolean): number {
  return frequency ? stats.count : stats.sum;
}

/**
 * Suppresses every cell with a failing flag (and any cell named as primary), adds complementary suppressions
 * when margins are published, then audits every suppressed cell as an attacker would.
 */
export function protectGrid(
  grid: Grid,
  flags: readonly Flag[],
  rules: RuleSet,
  extraPrimaries: readonly [number, number][] = [],
): Protection {
  const width = grid.cols.length;
  const primaryCells = new Set<number>(extraPrimaries.map(([r, c]) => r * width + c));
  for (const f of flags) if (f.outcome === 'fail') primaryCells.add(f.row * width + f.col);
  if (!grid.margins) return withoutMargins(grid, new Map([...primaryCells].map((i) => [i, 'primary'])));
  const { network, primaries } = setUp(grid, primaryCells, rules);
  return audit(grid, network, secondarySuppression(network, primaries), primaries);
}

/**
 * Audits a suppression pattern someone else chose (a record's null cells): suppressed cells that break a
 * rule are held to the protection level, the others only to not being exactly recoverable.
 */
export function auditPattern(
  grid: Grid,
  flags: readonly Flag[],
  rules: RuleSet,
  suppressedCells: readonly [number, number][],
): Protection {
  const width = grid.cols.length;
  const failing = new Set(flags.filter((f) => f.outcome === 'fail').map((f) => f.row * width + f.col));
  const kinds = new Map<number, SuppressionKind>(
    suppressedCells.map(([r, c]) => [r * width + c, failing.has(r * width + c) ? 'primary' : 'secondary']),
  );
  if (!grid.margins) return withoutMargins(grid, kinds);
  const primaryCells = [...kinds].filter(([, kind]) => kind === 'primary').map(([i]) => i);
  const { network, primaries } = setUp(grid, primaryCells, rules);
  return audit(grid, network, kinds, primaries);
}

function setUp(
  grid: Grid,
  primaryCells: Iterable<number>,
  rules: RuleSet,
): { network: TableNetwork; primaries: Map<number, Requirement> } {
  const frequency = isFrequency(grid.spec);
  const network = tableNetwork(
    grid.stats.map((row) =>
      row.map((s) => ({ value: additiveValue(s, frequency), free: s.negatives > 0, records: s.count })),
    ),
  );
  const primaries = new Map<number, Requirement>();
  for (const index of primaryCells) {
    const arc = network.arcs[index];
    primaries.set(index, requirementFor(grid.stats[arc.row][arc.col], frequency, rules));
  }
  return { network, primaries };
}

function audit(
  grid: Grid,
  network: TableNetwork,
  kinds: ReadonlyMap<number, SuppressionKind>,
  primaries: ReadonlyMap<number, Requirement>,
): Protection {
  const indices = [...kinds.keys()].sort((a, b) => a - b);
  const residual = new SuppressionAudit(network, indices);
  const suppressedCells = indices.map((i) => ({
    ...cellOf(network, i),
    kind: kinds.get(i) as SuppressionKind,
  }));
  const entries = suppressedCells.map((cell, k) =>
    auditCell(grid, network, residual, indices[k], cell.kind, primaries.get(indices[k])),
  );
  return { suppressed: suppressedCells, audit: entries };
}

function cellOf(network: TableNetwork, index: number): { row: number; col: number } {
  const { row, col } = network.arcs[index];
  return { row, col };
}

function auditCell(
  grid: Grid,
  network: TableNetwork,
  residual: SuppressionAudit,
  index: number,
  kind: SuppressionKind,
  req: Requirement | undefined,
): AuditEntry {
  const { row, col, value } = network.arcs[index];
  const interval = residual.interval(index);
  let ok: boolean;
  if (req) {
    const moves = {
      up: interval.upper === null ? Infinity : interval.upper - value,
      down: interval.lower === null ? Infinity : value - interval.lower,
    };
    ok = (['up', 'down'] as const).every((direction) => {
      const need = effectiveNeed(network, index, req, direction);
      return need <= 0 || isEnough(moves[direction], need);
    });
  } else {
    ok = interval.lower === null || interval.upper === null || interval.upper - interval.lower > MIN_MOVE;
  }
  const scale = grid.spec.agg === 'mean' ? grid.stats[row][col].count : 1;
  const lower = toUnits(interval.lower, scale);
  const upper = toUnits(interval.upper, scale);
  const range = `[${lower ?? '-infinity'}, ${upper ?? 'infinity'}]`;
  const reason = ok
    ? `from the published cells an attacker can only tell that it lies in ${range}` +
      (req ? ', which meets the protection level' : '')
    : req
      ? `the published cells narrow it to ${range}, within the protection level: it is not protected`
      : `the published cells determine it exactly: it is not protected`;
  const onSum = !['count', 'sum', 'mean'].includes(grid.spec.agg);
  return {
    row,
    col,
    kind,
    lower,
    upper,
    protected: ok,
    reason: onSum ? `${reason} (bounds on the cell sum)` : reason,
  };
}

function toUnits(bound: number | null, scale: number): number | null {
  if (bound === null) return null;
  const value = scale > 0 ? bound / scale : bound;
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

// Without margins no published value ties the cells together: a suppressed cell is known only to be
// non-negative (or not even that, if it may be negative).
function withoutMargins(grid: Grid, kinds: ReadonlyMap<number, SuppressionKind>): Protection {
  const width = grid.cols.length;
  const frequency = isFrequency(grid.spec);
  const suppressed = [...kinds.keys()]
    .sort((a, b) => a - b)
    .map((i) => ({ row: Math.floor(i / width), col: i % width, kind: kinds.get(i) as SuppressionKind }));
  const audit = suppressed.map(({ row, col, kind }) => ({
    row,
    col,
    kind,
    lower: !frequency && grid.stats[row][col].negatives > 0 ? null : 0,
    upper: null,
    protected: true,
    reason: 'no margins are published, so no published value constrains it',
  }));
  return { suppressed, audit };
}
