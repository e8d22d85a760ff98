/**
 * UK postcodes: outward code (area + district, e.g. `SW1A`) and inward code (sector + unit, e.g. `1AA`). The
 * letter rules are those of the Royal Mail format as summarised by the ONS and Wikipedia ("Postcodes in the
 * United Kingdom", validation): first letter not Q V X; second not I J Z; a third-position letter from
 * A B C D E F G H J K P S T U W; a fourth-position letter from A B E H M N P R V W X Y; inward letters never
 * C I K M O V. `GIR 0AA` is the one historic exception. British Forces and overseas territory codes are out of
 * scope.
 */

const AREA_ONE_LETTER = '[A-PR-UWYZ]';
const AREA_SECOND_LETTER = '[A-HK-Y]';
export const UK_POSTCODE_OUTWARD_PATTERN =
  `(?:${AREA_ONE_LETTER}[0-9][0-9]?` +
  `|${AREA_ONE_LETTER}${AREA_SECOND_LETTER}[0-9][0-9]?` +
  `|${AREA_ONE_LETTER}[0-9][A-HJKPSTUW]` +
  `|${AREA_ONE_LETTER}${AREA_SECOND_LETTER}[0-9][ABEHMNPRVWXY])`;
export const UK_POSTCODE_INWARD_PATTERN = '[0-9][ABD-HJLNP-UW-Z]{2}';

const OUTWARD = new RegExp(`^${UK_POSTCODE_OUTWARD_PATTERN}$`);
const INWARD = new RegExp(`^${UK_POSTCODE_INWARD_PATTERN}$`);
const WHITESPACE = /\s+/g;

/** `sw1a1aa`, ` SW1A  1AA ` -> `SW1A 1AA`; null for anything that is not a full UK postcode. */
export function normaliseUkPostcode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const compact = value.replace(WHITESPACE, '').toUpperCase();
  if (compact.length < 5 || compact.length > 7) return null;
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (outward === 'GIR' ? inward !== '0AA' : !OUTWARD.test(outward) || !INWARD.test(inward)) return null;
  return `${outward} ${inward}`;
}

/**
 * The postcode district (outward code) of a full postcode: `SW1A 1AA` -> `SW1A`. A bare outward code is refused
 * (null) like any other partial postcode, so bad source data shows up as missing rather than passing through.
 */
export function postcodeDistrict(value: string | null | undefined): string | null {
  const normalised = normaliseUkPostcode(value);
  return normalised === null ? null : normalised.slice(0, normalised.indexOf(' '));
}

/** ASCII code -> true when the character class (a regex source like `[A-HK-Y]`) matches it. */
function asciiClass(source: string): Uint8Array {
  const pattern = new RegExp(`^${source}$`);
  return Uint8Array.from({ length: 128 }, (_, code) => (pattern.test(String.fromCharCode(code)) ? 1 : 0));
}

const AREA_FIRST = asciiClass(AREA_ONE_LETTER);
const AREA_SECOND = asciiClass(AREA_SECOND_LETTER);
const DIGIT = asciiClass('[0-9]');
const THIRD_LETTER = asciiClass('[A-HJKPSTUW]');
const FOURTH_LETTER = asciiClass('[ABEHMNPRVWXY]');
const INWARD_LETTER = asciiClass('[ABD-HJLNP-UW-Z]');
const compact = new Uint8Array(7);

/** The outward code is one of A9, A99, AA9, AA99, A9A, AA9A (UK_POSTCODE_OUTWARD_PATTERN), upper case. */
function isOutward(code: Uint8Array, length: number): boolean {
  if (length < 2 || !AREA_FIRST[code[0]]) return false;
  if (length === 2) return DIGIT[code[1]] === 1;
  if (DIGIT[code[1]]) return length === 3 && (DIGIT[code[2]] === 1 || THIRD_LETTER[code[2]] === 1);
  if (!AREA_SECOND[code[1]] || !DIGIT[code[2]]) return false;
  return length === 3 || DIGIT[code[3]] === 1 || FOURTH_LETTER[code[3]] === 1;
}

/**
 * postcodeDistrict on bytes, for the extract: writes the district of the postcode in bytes[start..end) at
 * out[at..] and returns its length, or returns -1 when it cannot say so on bytes alone (anything beyond ASCII,
 * a backslash, or not a full postcode), leaving postcodeDistrict to decide. The specs hold the two to the same
 * answers over every outward and inward code.
 */
export function postcodeDistrictBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): number {
  let length = 0;
  for (let i = start; i < end; i += 1) {
    let byte = bytes[i];
    if (byte >= 0x80 || byte === 0x5c) return -1;
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    if (length === 7) return -1;
    if (byte >= 0x61 && byte <= 0x7a) byte -= 0x20;
    compact[length++] = byte;
  }
  if (length < 5) return -1;
  const outward = length - 3;
  const isGir = outward === 3 && compact[0] === 0x47 && compact[1] === 0x49 && compact[2] === 0x52;
  const inwardValid = isGir
    ? compact[3] === 0x30 && compact[4] === 0x41 && compact[5] === 0x41
    : DIGIT[compact[outward]] === 1 &&
      INWARD_LETTER[compact[outward + 1]] === 1 &&
      INWARD_LETTER[compact[outward + 2]] === 1 &&
      isOutward(compact, outward);
  if (!inwardValid) return -1;
  for (let i = 0; i < outward; i += 1) out[at + i] = compact[i];
  return outward;
}
