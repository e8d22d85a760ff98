import { hasValidCheckDigit } from './nhs-number';
import { UK_POSTCODE_INWARD_PATTERN, UK_POSTCODE_OUTWARD_PATTERN } from './uk-postcode';

/**
 * What counts as a direct identifier that slipped into an extract. Each pattern matches a token that stands
 * alone: it must not touch a letter or digit on either side. That keeps hex pseudonyms, UUIDs and other
 * alphanumeric codes (whose digit runs are random) from failing every extract, at the price of missing an
 * identifier glued to letters (`NHS9434765919`); punctuation, spaces and underscores all count as separators.
 */

export const IDENTIFIER_KINDS = ['nhs_number', 'postcode', 'email', 'phone'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

const STANDS_ALONE_BEFORE = '(?<![A-Za-z0-9])';
const STANDS_ALONE_AFTER = '(?![A-Za-z0-9])';

/** Ten digits, optionally printed 3-3-4 with a space or hyphen between the groups; passing modulus 11 is checked after. */
const NHS_NUMBER_CANDIDATE = new RegExp(
  `${STANDS_ALONE_BEFORE}([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})${STANDS_ALONE_AFTER}`,
  'g',
);

/** A full postcode (outward and inward code), any case, with or without the space. A bare district is allowed out. */
const FULL_POSTCODE = new RegExp(
  `${STANDS_ALONE_BEFORE}${UK_POSTCODE_OUTWARD_PATTERN}[ \\t]{0,2}${UK_POSTCODE_INWARD_PATTERN}${STANDS_ALONE_AFTER}`,
  'i',
);

/** Local part and a dotted domain ending in a letters-only top-level domain. */
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/;

/**
 * UK phone numbers: 11 digits starting 0 then a non-zero digit (`020 7946 0958`, `(01632) 960 001`,
 * `07700-900-123`), or +44 / 0044 followed by the 10-digit national number, with an optional (0) or 0
 * (`+44 (0)20 7946 0958`, `+447700900123`). Spaces, hyphens and brackets may sit between digits.
 */
const UK_PHONE = new RegExp(
  `${STANDS_ALONE_BEFORE}(?:` +
    `(?:\\+|00)44[ -]?(?:\\(0\\)[ -]?|0[ -]?)?[1-9](?:[ ()-]{0,2}[0-9]){9}` +
    `|\\(?0[ )-]{0,2}[1-9](?:[ ()-]{0,2}[0-9]){9}` +
    `)${STANDS_ALONE_AFTER}`,
);

/** Every kind needs at least this many digits, so most values (codes, dates, words) skip the patterns outright. */
const MIN_DIGITS = { nhs_number: 10, postcode: 2, phone: 11 } as const;

function countDigits(value: string): number {
  let digits = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

function containsValidNhsNumber(value: string): boolean {
  NHS_NUMBER_CANDIDATE.lastIndex = 0;
  for (let match = NHS_NUMBER_CANDIDATE.exec(value); match; match = NHS_NUMBER_CANDIDATE.exec(value)) {
    if (hasValidCheckDigit(`${match[1]}${match[2]}${match[3]}`)) return true;
    // Retry from the next character, so a failing candidate cannot hide an overlapping one that passes.
    NHS_NUMBER_CANDIDATE.lastIndex = match.index + 1;
  }
  return false;
}

/**
 * False only when scanValue is sure to find nothing in bytes[start..end) read as text: every kind needs some
 * digits and letters (a full postcode three ASCII letters and two digits, an NHS or phone number ten digits)
 * or an @. Lets the extract skip decoding most values. Anything not ASCII is always worth a scan.
 */
export function couldHoldIdentifier(bytes: Uint8Array, start: number, end: number): boolean {
  let digits = 0;
  let letters = 0;
  for (let i = start; i < end; i++) {
    const code = bytes[i];
    if (code >= 48 && code <= 57) digits++;
    else if (code === 64 || code >= 128) return true;
    else if ((code | 32) >= 97 && (code | 32) <= 122) letters++;
  }
  return digits >= MIN_DIGITS.nhs_number || (digits >= MIN_DIGITS.postcode && letters >= 3);
}

/** The identifier kinds found in one value, in IDENTIFIER_KINDS order; empty when the value looks clean. */
export function scanValue(value: string | null | undefined): IdentifierKind[] {
  const found: IdentifierKind[] = [];
  if (value === null || value === undefined || value.length === 0) return found;
  const digits = countDigits(value);
  if (digits >= MIN_DIGITS.nhs_number && containsValidNhsNumber(value)) found.push('nhs_number');
  if (digits >= MIN_DIGITS.postcode && FULL_POSTCODE.test(value)) found.push('postcode');
  if (value.includes('@') && EMAIL.test(value)) found.push('email');
  if (digits >= MIN_DIGITS.phone && UK_PHONE.test(value)) found.push('phone');
  return found;
}
