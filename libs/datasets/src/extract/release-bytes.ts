import { normaliseNhsNumber, postcodeDistrictBytes } from '../safe-data';
import type { FastRelease } from './column-plan';
import { unescapeCopyValue } from './copy-text';
import type { CsvBytes } from './csv-file-writer';

/**
 * Byte-level versions of the per-value work of an extract, for the values where the answer is certain without
 * decoding: plain ASCII without COPY escapes or CSV specials. Each returns "not handled" for anything else, and
 * the caller then takes the string path (unescapeCopyValue, the column's transform, csvField), so the bytes
 * written are always the ones the string path would write. The specs hold both paths to that.
 */

export const NHS_MISSING = 0;
export const NHS_INVALID = 1;
export const NHS_VALID = 2;
export type NhsNumberRead = typeof NHS_MISSING | typeof NHS_INVALID | typeof NHS_VALID;

const BACKSLASH = 0x5c;

/** COPY text whitespace as JavaScript's trim() and \s see it, in ASCII: tab, LF, VT, FF, CR, space. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * Reads a person identifier field: missing (NULL or blank), invalid (not ten digits after removing spaces and
 * hyphens, or failing modulus 11), or valid, when its ten normalised digits are written to digits[0..10).
 * The same classification as `raw === null || raw.trim() === ''` then normaliseNhsNumber.
 */
export function readNhsNumber(
  bytes: Uint8Array,
  start: number,
  end: number,
  digits: Uint8Array,
): NhsNumberRead {
  let blank = true;
  let count = 0;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i];
    if (byte === BACKSLASH || byte >= 0x80) return readNhsNumberText(bytes, start, end, digits);
    if (isAsciiSpace(byte)) continue;
    blank = false;
    if (byte === 0x2d) continue;
    if (byte < 0x30 || byte > 0x39 || count === 10) count = 11;
    else digits[count++] = byte;
  }
  if (blank) return NHS_MISSING;
  if (count !== 10) return NHS_INVALID;
  let weighted = 0;
  for (let i = 0; i < 9; i += 1) weighted += (digits[i] - 0x30) * (10 - i);
  const check = 11 - (weighted % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits[9] - 0x30 ? NHS_VALID : NHS_INVALID;
}

function readNhsNumberText(bytes: Uint8Array, start: number, end: number, digits: Uint8Array): NhsNumberRead {
  const raw = unescapeCopyValue(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString());
  if (raw === null || raw.trim() === '') return NHS_MISSING;
  const normalised = normaliseNhsNumber(raw);
  if (normalised === null) return NHS_INVALID;
  for (let i = 0; i < 10; i += 1) digits[i] = normalised.charCodeAt(i);
  return NHS_VALID;
}

/** The decimal number of `length` ASCII digits at bytes[from..], or -1 if one is not a digit. */
function digitsAt(bytes: Uint8Array, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i += 1) {
    const byte = bytes[i];
    if (byte < 0x30 || byte > 0x39) return -1;
    value = value * 10 + byte - 0x30;
  }
  return value;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Writes the released value of a field whose bytes need no decoding, as its CSV field, and returns true; or
 * returns false, writing nothing, when the string path must decide. `copy` takes values that need neither COPY
 * unescaping nor CSV quoting; the date levels take exactly `YYYY-MM-DD` holding a real date (what Postgres
 * writes for a date column), whose parts are then the bytes generalise would print.
 */
export function releaseFast(
  release: FastRelease,
  bytes: Buffer,
  start: number,
  end: number,
  csv: CsvBytes,
): boolean {
  if (release === 'none') return false;
  if (release === 'copy') {
    for (let i = start; i < end; i += 1) {
      const byte = bytes[i];
      // backslash (COPY escape), quote, comma, CR, LF (CSV quoting), anything beyond ASCII (decoded as UTF-8)
      if (
        byte === BACKSLASH ||
        byte === 0x22 ||
        byte === 0x2c ||
        byte === 0x0d ||
        byte === 0x0a ||
        byte >= 0x80
      )
        return false;
    }
    csv.copy(bytes, start, end);
    return true;
  }
  if (release === 'district') {
    // A full postcode has at least five bytes and its district at most four.
    if (end - start < 5) return false;
    csv.reserve(4);
    const length = postcodeDistrictBytes(bytes, start, end, csv.bytes, csv.length);
    if (length < 0) return false;
    csv.length += length;
    return true;
  }
  if (end - start !== 10 || bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d) return false;
  const year = digitsAt(bytes, start, 4);
  const month = digitsAt(bytes, start + 5, 2);
  const day = digitsAt(bytes, start + 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  switch (release) {
    case 'year':
      csv.copy(bytes, start, start + 4);
      break;
    case 'month':
      csv.copy(bytes, start + 5, start + 7);
      break;
    case 'year_month':
      csv.copy(bytes, start, start + 7);
      break;
    case 'decade':
      csv.copy(bytes, start, start + 3);
      csv.byte(0x30);
      csv.byte(0x73);
      break;
  }
  return true;
}
