import { DEFAULT_RULE_SET, type RuleSet } from './rule-set';

/** A TRE rule-set file that cannot be used; the message lists every problem found. */
export class RuleSetError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rule set: ${problems.join('; ')}`);
    this.name = 'RuleSetError';
  }
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TOP_KEYS = [
  'name',
  'version',
  'threshold',
  'zerosDisclosive',
  'nk',
  'pPercent',
  'negativeReview',
  'missingReview',
  'minDof',
  'singleValue',
  'protection',
];

class Reader {
  readonly problems: string[] = [];

  unknownKeys(obj: Obj, allowed: string[], where: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.problems.push(`${where}${key} is not a known setting`);
    }
  }

  text(obj: Obj, key: string, fallback: string, where = ''): string {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`${where}${key} must be a non-empty string`);
      return fallback;
    }
    return value;
  }

  flag(obj: Obj, key: string, fallback: boolean, where = ''): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problems.push(`${where}${key} must be true or false`);
      return fallback;
    }
    return value;
  }

  integer(obj: Obj, key: string, fallback: number, min: number, where = '', max = Infinity): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
      this.problems.push(`${where}${key} must be a whole number ${range}`);
      return fallback;
    }
    return value;
  }

  /** Fractions are written as fractions (0.9), never as percentages, so 90 is refused rather than guessed at. */
  fraction(obj: Obj, key: string, fallback: number, where: string, allowOne: boolean): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    const ok = typeof value === 'number' && value > 0 && (allowOne ? value <= 1 : value < 1);
    if (!ok || typeof value !== 'number') {
      this.problems.push(
        `${where}${key} must be a fraction ${allowOne ? 'in (0, 1]' : 'in (0, 1)'}, e.g. 0.9 for 90%`,
      );
      return fallback;
    }
    return value;
  }

  percent(obj: Obj, key: string, fallback: number, where: string): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1000) {
      this.problems.push(`${where}${key} must be a percentage between 0 and 1000`);
      return fallback;
    }
    return value;
  }

  section(obj: Obj, key: string, allowed: string[]): Obj {
    const value = obj[key];
    if (value === undefined) return {};
    if (!isObject(value)) {
      this.problems.push(`${key} must be an object`);
      return {};
    }
    this.unknownKeys(value, allowed, `${key}.`);
    return value;
  }
}

/**
 * Reads a TRE rule-set override (parsed JSON) on top of a base rule set. Any setting left out keeps the base
 * value; an override that does not rename the set is reported as `<base>+local` so a changed rule set is never
 * mistaken for the default one.
 */
export function parseRuleSet(input: unknown, base: RuleSet = DEFAULT_RULE_SET): RuleSet {
  if (!isObject(input)) throw new RuleSetError(['the rule set must be a JSON object']);
  const r = new Reader();
  r.unknownKeys(input, TOP_KEYS, '');
  const nk = r.section(input, 'nk', ['n', 'k']);
  const pPercent = r.section(input, 'pPercent', ['p']);
  const protection = r.section(input, 'protection', ['countRangePercent', 'magnitudePercent']);
  const rules: RuleSet = {
    name: r.text(input, 'name', `${base.name}+local`),
    version: r.text(input, 'version', base.version),
    threshold: r.integer(input, 'threshold', base.threshold, 1),
    zerosDisclosive: r.flag(input, 'zerosDisclosive', base.zerosDisclosive),
    nk: {
      // One pass keeps only the two largest contributions per cell, which bounds n.
      n: r.integer(nk, 'n', base.nk.n, 1, 'nk.', 2),
      k: r.fraction(nk, 'k', base.nk.k, 'nk.', true),
    },
    pPercent: { p: r.fraction(pPercent, 'p', base.pPercent.p, 'pPercent.', false) },
    negativeReview: r.flag(input, 'negativeReview', base.negativeReview),
    missingReview: r.flag(input, 'missingReview', base.missingReview),
    minDof: r.integer(input, 'minDof', base.minDof, 0),
    singleValue: r.flag(input, 'singleValue', base.singleValue),
    protection: {
      countRangePercent: r.percent(
        protection,
        'countRangePercent',
        base.protection.countRangePercent,
        'protection.',
      ),
      magnitudePercent: r.percent(
        protection,
        'magnitudePercent',
        base.protection.magnitudePercent,
        'protection.',
      ),
    },
  };
  if (r.problems.length > 0) throw new RuleSetError(r.problems);
  return rules;
}
