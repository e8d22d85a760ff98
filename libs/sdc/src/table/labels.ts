import { looksNumeric } from '../csv/values';

/** A row or column label: one variable's value, or one value per variable for composite rows/columns. */
export type Label = string | string[];

export const MARGIN_LABEL = 'All';

/** Code-point order, as Python compares strings (JavaScript's `<` compares UTF-16 units instead). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;
    if (!surrogate(x) && !surrogate(y)) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

/**
 * How one variable's labels are canonicalised and ordered. A variable whose labels are all numbers is
 * ordered numerically and its labels merged by value ("1" and "1.0" are one level), as pandas parses such a
 * column as numbers; any other variable is ordered by code point.
 */
export interface LabelOrder {
  numeric: boolean;
  canonical(raw: string): string;
  compare(a: string, b: string): number;
}

export function orderFor(rawLabels: Iterable<string>): LabelOrder {
  let numeric = true;
  let integers = true;
  for (const raw of rawLabels) {
    if (!looksNumeric(raw)) {
      numeric = false;
      break;
    }
    if (!Number.isInteger(Number(raw))) integers = false;
  }
  if (!numeric) return { numeric, canonical: (raw) => raw, compare: compareCodePoints };
  return {
    numeric,
    canonical: (raw) => formatNumber(Number(raw), integers),
    compare: (a, b) => Number(a) - Number(b),
  };
}

/** Integer columns print as integers; columns with fractions print every level as a float, as pandas does. */
function formatNumber(n: number, integers: boolean): string {
  const value = Object.is(n, -0) ? 0 : n;
  if (integers) return String(value);
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value);
}

export function labelText(label: Label): string {
  return Array.isArray(label) ? label.join(' / ') : label;
}
