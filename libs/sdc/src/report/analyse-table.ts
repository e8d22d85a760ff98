import { checkGrid } from '../checks/cell-rules';
import { checksByRule, type Flag, type Status, statusOf, summarise } from '../checks/flags';
import { type AuditEntry, protectGrid, type SuppressedCell } from '../protect/protect-grid';
import { type Rounding, roundValue } from '../protect/rounding';
import { describeRuleSet, type RuleName, type RuleSet } from '../rules/rule-set';
import { aggregate } from '../table/cell-stats';
import { type Label } from '../table/labels';
import { type Grid } from '../table/table-model';

export interface PublishedTable {
  rowVars: string[];
  colVars: string[];
  valueVar: string | null;
  agg: string;
  rows: Label[];
  cols: Label[];
  /** Row-major; suppressed cells (and statistics undefined for an empty cell) are null. */
  values: (number | null)[][];
  margins: boolean;
  rounding: string | null;
}

/** The result of checking (and optionally protecting) one output; the CLI prints it as JSON. */
export interface SdcResult {
  status: Status;
  summary: Record<RuleName, number>;
  checks: Record<RuleName, [number, number][]>;
  flags: Flag[];
  table: PublishedTable | null;
  suppressed: SuppressedCell[];
  audit: AuditEntry[];
  rules: RuleSet;
  message: string;
  notes: string[];
}

export interface AnalyseOptions {
  suppress?: boolean;
  round?: Rounding;
  /** Cells to treat as primary whatever the rules say (`protect --primary`). */
  primary?: [number, number][];
  notes?: string[];
}

/**
 * Checks a table against the rules and, when asked, protects it. A protected table whose audit holds is
 * `review` (suppression was needed, an output checker confirms it), never `pass`; one whose audit finds any
 * suppressed cell recoverable is `fail`.
 */
export function analyseGrid(grid: Grid, rules: RuleSet, options: AnalyseOptions = {}): SdcResult {
  const flags = checkGrid(grid, rules);
  const protect = options.suppress === true || (options.primary?.length ?? 0) > 0;
  const protection = protect
    ? protectGrid(grid, flags, rules, options.primary ?? [])
    : { suppressed: [], audit: [] };
  const hidden = new Set(protection.suppressed.map((s) => `${s.row},${s.col}`));
  const values = grid.stats.map((row, r) =>
    row.map((stats, c) => {
      if (hidden.has(`${r},${c}`)) return null;
      const value = aggregate(stats, grid.spec.agg);
      return value === null || options.round === undefined ? value : roundValue(value, options.round);
    }),
  );
  let status = statusOf(flags);
  const broken = protection.audit.filter((a) => !a.protected).length;
  if (protect && protection.suppressed.length > 0) status = broken > 0 ? 'fail' : 'review';
  return {
    status,
    summary: summarise(flags),
    checks: checksByRule(flags),
    flags,
    table: {
      rowVars: grid.spec.rowVars,
      colVars: grid.spec.colVars,
      valueVar: grid.spec.valueVar ?? null,
      agg: grid.spec.agg,
      rows: grid.rows,
      cols: grid.cols,
      values,
      margins: grid.margins,
      rounding: describeRounding(options.round),
    },
    suppressed: protection.suppressed,
    audit: protection.audit,
    rules: describeRuleSet(rules),
    message: explain(status, flags, protection.suppressed.length, broken, protect),
    notes: options.notes ?? [],
  };
}

function describeRounding(round: Rounding | undefined): string | null {
  if (!round) return null;
  return round.kind === 'midpoint6' ? 'midpoint6' : `base ${round.base}`;
}

function explain(
  status: Status,
  flags: readonly Flag[],
  suppressed: number,
  broken: number,
  protect: boolean,
): string {
  const failing = new Set(flags.filter((f) => f.outcome === 'fail').map((f) => `${f.row},${f.col}`)).size;
  const reviewing = new Set(flags.filter((f) => f.outcome === 'review').map((f) => `${f.row},${f.col}`)).size;
  if (status === 'pass') return 'no cell breaks a rule: the table can be released';
  const parts: string[] = [];
  if (failing > 0) parts.push(`${failing} cell(s) break a rule`);
  if (reviewing > 0) parts.push(`${reviewing} cell(s) need a person to review them`);
  if (protect && suppressed > 0) {
    parts.push(
      broken > 0
        ? `${broken} of ${suppressed} suppressed cell(s) can still be recovered from the published cells: do not release`
        : `${suppressed} cell(s) suppressed and every one holds against an attacker using the margins`,
    );
  } else if (failing > 0) {
    parts.push('suppress them (--suppress) or change the table before release');
  }
  return parts.join('; ');
}
