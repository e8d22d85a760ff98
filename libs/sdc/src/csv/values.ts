/**
 * Text that stands for a missing value. The same set pandas' read_csv treats as NA by default, so a table
 * built here drops and counts the same records a researcher's pandas code would.
 */
const MISSING = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export function isMissing(text: string): boolean {
  return MISSING.has(text);
}

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** A decimal number as written in a CSV file, or undefined: no hex, no empty string, no `Infinity`. */
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

export function looksNumeric(text: string): boolean {
  return NUMBER.test(text);
}
