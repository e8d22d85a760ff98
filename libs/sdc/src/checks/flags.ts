import { type Outcome, RULE_NAMES, RULE_OUTCOME, type RuleName } from '../rules/rule-set';

/** One rule's finding about one cell, worded for the researcher. */
export interface Flag {
  rule: RuleName;
  outcome: Outcome;
  row: number;
  col: number;
  reason: string;
}

export type Status = 'pass' | 'review' | 'fail';

export function flag(rule: RuleName, row: number, col: number, reason: string): Flag {
  return { rule, outcome: RULE_OUTCOME[rule], row, col, reason };
}

/** Any fail makes the output fail; otherwise any review makes it need review; otherwise it passes. */
export function statusOf(flags: readonly Flag[]): Status {
  if (flags.some((f) => f.outcome === 'fail')) return 'fail';
  if (flags.some((f) => f.outcome === 'review')) return 'review';
  return 'pass';
}

/** Cells flagged per rule (every rule listed, zero when clean). */
export function summarise(flags: readonly Flag[]): Record<RuleName, number> {
  const summary = Object.fromEntries(RULE_NAMES.map((r) => [r, 0])) as Record<RuleName, number>;
  for (const f of flags) summary[f.rule]++;
  return summary;
}

/** Per rule, the `[row, col]` cells it flagged, in row-major order. */
export function checksByRule(flags: readonly Flag[]): Record<RuleName, [number, number][]> {
  const checks = Object.fromEntries(RULE_NAMES.map((r) => [r, []])) as unknown as Record<
    RuleName,
    [number, number][]
  >;
  const sorted = [...flags].sort((a, b) => a.row - b.row || a.col - b.col);
  for (const f of sorted) checks[f.rule].push([f.row, f.col]);
  return checks;
}
