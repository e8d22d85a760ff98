import { type Rng, randomInt } from './rng';

/**
 * NHS numbers: ten digits, the last a modulus-11 check digit over the first nine (NHS Data Dictionary,
 * "NHS Number"). Only numbers that pass the check are used for linkage; the rest are counted, never linked.
 */

const NHS_NUMBER_DIGITS = 10;
const SEPARATORS = /[\s-]/g;
const TEN_DIGITS = /^[0-9]{10}$/;

/** The synthetic test range (999 000 0000 to 999 999 9999), which is never issued to real patients. */
export const NHS_TEST_RANGE_PREFIX = '999';

/**
 * The check digit for the first nine digits, or null when the algorithm yields 10, which the NHS never issues:
 * weights 10 down to 2, check = 11 - (sum mod 11), where 11 becomes 0.
 */
export function nhsNumberCheckDigit(firstNineDigits: string): number | null {
  if (!/^[0-9]{9}$/.test(firstNineDigits))
    throw new RangeError('nhsNumberCheckDigit needs exactly nine digits');
  return checkDigitOfLeadingNine(firstNineDigits);
}

/** Reads the first nine characters, which the caller has already checked are digits. */
function checkDigitOfLeadingNine(digits: string): number | null {
  let weightedSum = 0;
  for (let index = 0; index < 9; index++) {
    weightedSum += (digits.charCodeAt(index) - 48) * (10 - index);
  }
  const check = 11 - (weightedSum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True for exactly ten digits (ignoring spaces and hyphens) whose last digit is the modulus-11 check digit. */
export function isValidNhsNumber(value: string | null | undefined): boolean {
  return normaliseNhsNumber(value) !== null;
}

/**
 * The ten-digit form used as the pseudonymisation input, or null when the value is missing, is not ten digits
 * after removing spaces and hyphens, or fails the check digit. Normalising first means `943 476 5919` and
 * `9434765919` give the same pseudonym.
 */
export function normaliseNhsNumber(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digits = value.replace(SEPARATORS, '');
  if (digits.length !== NHS_NUMBER_DIGITS || !TEN_DIGITS.test(digits)) return null;
  return hasValidCheckDigit(digits) ? digits : null;
}

/** For ten characters already known to be digits; the scanner's hot path calls this directly. */
export function hasValidCheckDigit(tenDigits: string): boolean {
  const expected = checkDigitOfLeadingNine(tenDigits);
  return expected !== null && expected === tenDigits.charCodeAt(9) - 48;
}

/** `9434765919` -> `943 476 5919`, the way NHS numbers are printed (3-3-4). */
export function formatNhsNumber(normalised: string): string {
  if (!TEN_DIGITS.test(normalised))
    throw new RangeError('formatNhsNumber needs a normalised ten-digit number');
  return `${normalised.slice(0, 3)} ${normalised.slice(3, 6)} ${normalised.slice(6)}`;
}

/**
 * A valid NHS number in the 999 test range, for synthetic data. Prefixes whose check digit would be 10 cannot
 * be completed, so another is drawn (about one in eleven).
 */
export function makeTestNhsNumber(rng: Rng): string {
  for (;;) {
    const firstNine = NHS_TEST_RANGE_PREFIX + String(randomInt(rng, 0, 1_000_000)).padStart(6, '0');
    const check = nhsNumberCheckDigit(firstNine);
    if (check !== null) return firstNine + String(check);
  }
}
