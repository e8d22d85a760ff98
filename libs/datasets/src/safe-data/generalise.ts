import { type CalendarDate, completedYearsBetween, parseIsoDate } from './iso-date';
import { postcodeDistrict } from './uk-postcode';

/**
 * Release forms: the coarser value a quasi-identifier takes in an extract, chosen per field by the approval.
 * Every level returns null for input it cannot read, so a malformed source value becomes a missing value in
 * the extract rather than leaking through unchanged.
 *
 *   year        ISO date -> `YYYY`               (`1980-03-14` -> `1980`)
 *   month       ISO date -> month of year `MM`   (`1980-03-14` -> `03`)
 *   year_month  ISO date -> `YYYY-MM`            (`1980-03-14` -> `1980-03`)
 *   decade      ISO date -> `YYY0s`              (`1987-03-14` -> `1980s`)
 *   age_band_5  age in years, or ISO date of birth with options.referenceDate -> `40-44`; 90 and over -> `90+`
 *   district    UK postcode -> outward code      (`sw1a 1aa` -> `SW1A`)
 */

export const RELEASE_LEVELS = ['year', 'month', 'year_month', 'decade', 'age_band_5', 'district'] as const;
export type ReleaseLevel = (typeof RELEASE_LEVELS)[number];

export interface GeneraliseOptions {
  /** The date ages are computed on, when age_band_5 is given a date of birth (ISO date). */
  readonly referenceDate?: string;
}

const AGE_BAND_WIDTH = 5;
/** Ages of 90 and over are few enough to single people out, so they share one open band (as HIPAA does). */
export const AGE_TOP_CODE = 90;
/** Older than anyone recorded; an age beyond this is a data error, not a person. */
const MAX_PLAUSIBLE_AGE = 125;
const WHOLE_YEARS = /^[0-9]{1,3}$/;

export function generalise(
  value: string | number | null | undefined,
  level: ReleaseLevel,
  options: GeneraliseOptions = {},
): string | null {
  if (value === null || value === undefined) return null;
  switch (level) {
    case 'year':
      return withDate(value, (date) => pad(date.year, 4));
    case 'month':
      return withDate(value, (date) => pad(date.month, 2));
    case 'year_month':
      return withDate(value, (date) => `${pad(date.year, 4)}-${pad(date.month, 2)}`);
    case 'decade':
      return withDate(value, (date) => `${pad(Math.floor(date.year / 10) * 10, 4)}s`);
    case 'age_band_5':
      return ageBand(value, options.referenceDate);
    case 'district':
      return typeof value === 'string' ? postcodeDistrict(value) : null;
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function withDate(value: string | number, format: (date: CalendarDate) => string): string | null {
  if (typeof value !== 'string') return null;
  const date = parseIsoDate(value);
  return date === null ? null : format(date);
}

function ageBand(value: string | number, referenceDate: string | undefined): string | null {
  const age = ageFrom(value, referenceDate);
  if (age === null || age < 0 || age > MAX_PLAUSIBLE_AGE) return null;
  if (age >= AGE_TOP_CODE) return `${AGE_TOP_CODE}+`;
  const lower = Math.floor(age / AGE_BAND_WIDTH) * AGE_BAND_WIDTH;
  return `${lower}-${lower + AGE_BAND_WIDTH - 1}`;
}

function ageFrom(value: string | number, referenceDate: string | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : null;
  const trimmed = value.trim();
  if (WHOLE_YEARS.test(trimmed)) return Number(trimmed);
  const birth = parseIsoDate(trimmed);
  if (birth === null) return null;
  // A missing or unreadable reference date is a configuration error, not bad data: fail loudly.
  const on = referenceDate === undefined ? null : parseIsoDate(referenceDate);
  if (on === null) {
    throw new RangeError(
      `age_band_5 from a date of birth needs options.referenceDate as an ISO date, got ${String(referenceDate)}`,
    );
  }
  return completedYearsBetween(birth, on);
}
