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
