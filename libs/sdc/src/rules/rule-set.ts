/**
 * A named, versioned set of disclosure-control rules, chosen by the TRE, never by the researcher: the airlock's
 * checks judge by DEFAULT_RULE_SET (libs/outputs has no setting to replace it yet), and `tre sdc --rules FILE`
 * by a TRE's own JSON rule set (parseRuleSet). Every result names the rule set it was judged by, so a decision
 * can be traced to the rules in force.
 */
export interface RuleSet {
  name: string;
  version: string;
  /** A cell built from fewer records than this fails (`threshold`). */
  threshold: number;
  /** A cell built from no records fails (`zeros`); when off, empty cells are treated as structural and pass. */
  zerosDisclosive: boolean;
  /** NK dominance: the n largest contributions make up at least k (a fraction) of the cell total (`nk`). */
  nk: { n: number; k: number };
  /** p% rule: (total - x1 - x2) / x1 < p, p a fraction (`p_percent`). */
  pPercent: { p: number };
  /** Negative contributions make dominance undefined (`negative`, review). */
  negativeReview: boolean;
  /** Cells with missing values in the values column (`missing`, review). */
  missingReview: boolean;
  /** Regression residual degrees of freedom below this fail (`dof`). */
  minDof: number;
  /** Min and max cells and single-record statistics fail (`single_value`). */
  singleValue: boolean;
  /** How far a suppressed cell's feasible interval must reach either side of its true value. */
  protection: {
    /** Count cells: this percentage of the threshold, rounded up, in records. */
    countRangePercent: number;
    /** Magnitude cells: this percentage of the cell's total (at least the p% rule's own sensitivity). */
    magnitudePercent: number;
  };
}

export const DEFAULT_RULE_SET: Readonly<RuleSet> = Object.freeze({
  name: 'tre-default',
  version: '1.0.0',
  threshold: 10,
  zerosDisclosive: true,
  nk: Object.freeze({ n: 2, k: 0.9 }),
  pPercent: Object.freeze({ p: 0.1 }),
  negativeReview: true,
  missingReview: false,
  minDof: 10,
  singleValue: true,
  protection: Object.freeze({ countRangePercent: 50, magnitudePercent: 10 }),
});

/** The rule names used in `summary` and `checks`, in a stable order. */
export const RULE_NAMES = [
  'threshold',
  'zeros',
  'nk',
  'p_percent',
  'negative',
  'missing',
  'dof',
  'single_value',
  'differencing',
  'unknown_type',
  'incomplete',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

export type Outcome = 'fail' | 'review';

/** What a rule's flag means for the overall status. */
export const RULE_OUTCOME: Readonly<Record<RuleName, Outcome>> = {
  threshold: 'fail',
  zeros: 'fail',
  nk: 'fail',
  p_percent: 'fail',
  negative: 'review',
  missing: 'review',
  dof: 'fail',
  single_value: 'fail',
  differencing: 'fail',
  unknown_type: 'review',
  incomplete: 'review',
};

/** The rule set as reported in every result: name, version and the parameters in force. */
export function describeRuleSet(rules: RuleSet): RuleSet {
  return {
    ...rules,
    nk: { ...rules.nk },
    pPercent: { ...rules.pPercent },
    protection: { ...rules.protection },
  };
}
