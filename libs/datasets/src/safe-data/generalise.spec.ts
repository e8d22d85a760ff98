import { completedYearsBetween, isLeapYear, parseIsoDate } from './iso-date';
import { generalise } from './generalise';

/* Expected values are worked by hand from the calendar; leap years follow the Gregorian rule (divisible by 4,
 * except centuries not divisible by 400: 2000 was a leap year, 1900 was not). */

describe('parseIsoDate', () => {
  it('reads dates and date-times as written, without moving them across time zones', () => {
    expect(parseIsoDate('1980-03-14')).toEqual({ year: 1980, month: 3, day: 14 });
    expect(parseIsoDate('1980-03-01T00:30:00+01:00')).toEqual({ year: 1980, month: 3, day: 1 });
    expect(parseIsoDate('2024-02-29T12:00:00.000Z')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it.each([
    '2001-02-29',
    '1900-02-29',
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '0000-01-01',
    '14/03/1980',
    '1980-3-14',
    '1980-03-14T25:00',
    '',
  ])('rejects %j', (input) => {
    expect(parseIsoDate(input)).toBeNull();
  });

  it('knows the Gregorian leap years', () => {
    expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
  });
});

describe('completedYearsBetween', () => {
  const leapling = { year: 2000, month: 2, day: 29 };

  it('counts a 29 February birthday as reached on 1 March in common years', () => {
    expect(completedYearsBetween(leapling, { year: 2005, month: 2, day: 28 })).toBe(4);
    expect(completedYearsBetween(leapling, { year: 2005, month: 3, day: 1 })).toBe(5);
    expect(completedYearsBetween(leapling, { year: 2004, month: 2, day: 29 })).toBe(4);
  });
});

describe('generalise', () => {
  it.each([
    ['1980-03-14', 'year', '1980'],
    ['1980-03-14', 'month', '03'],
    ['1980-03-14', 'year_month', '1980-03'],
    ['1987-03-14', 'decade', '1980s'],
    ['1999-12-31', 'decade', '1990s'],
    ['2000-01-01', 'decade', '2000s'],
    ['2000-02-29', 'year_month', '2000-02'],
    ['1980-03-01T00:30:00+01:00', 'year_month', '1980-03'],
    ['0987-06-01', 'year', '0987'],
    ['sw1a 1aa', 'district', 'SW1A'],
    ['DN55 1PT', 'district', 'DN55'],
  ] as const)('%j at %s -> %s', (input, level, expected) => {
    expect(generalise(input, level)).toBe(expected);
  });

  it.each([
    ['1900-02-29', 'year'],
    ['2023-02-29', 'year_month'],
    ['not a date', 'decade'],
    ['SW1A', 'district'],
    ['SW1A 1AA', 'year'],
  ] as const)('returns null for %j at %s', (input, level) => {
    expect(generalise(input, level)).toBeNull();
  });

  it('returns null for missing values and for numbers where a date or postcode is expected', () => {
    expect(generalise(null, 'year')).toBeNull();
    expect(generalise(undefined, 'district')).toBeNull();
    expect(generalise(1980, 'year')).toBeNull();
    expect(generalise(1980, 'district')).toBeNull();
  });

  describe('age_band_5', () => {
    it.each([
      [0, '0-4'],
      [4, '0-4'],
      [5, '5-9'],
      [44, '40-44'],
      [44.9, '40-44'],
      ['44', '40-44'],
      [' 45 ', '45-49'],
      [89, '85-89'],
      [90, '90+'],
      [125, '90+'],
    ] as const)('age %j -> %s', (age, band) => {
      expect(generalise(age, 'age_band_5')).toBe(band);
    });

    it.each([[-1], [126], [Number.NaN], [Number.POSITIVE_INFINITY], ['forty'], ['-3'], ['']])(
      'returns null for age %j',
      (age) => {
        expect(generalise(age, 'age_band_5')).toBeNull();
      },
    );

    it('bands a date of birth by completed years on the reference date', () => {
      // Born 1980-03-14: 43 the day before the 2024 birthday, 44 on it, 45 a year later.
      expect(generalise('1980-03-14', 'age_band_5', { referenceDate: '2024-03-13' })).toBe('40-44');
      expect(generalise('1980-03-14', 'age_band_5', { referenceDate: '2024-03-14' })).toBe('40-44');
      expect(generalise('1980-03-14', 'age_band_5', { referenceDate: '2025-03-14' })).toBe('45-49');
      // Born 1934-06-01: 89 on 2024-05-31, 90 on 2024-06-01, which falls in the top band.
      expect(generalise('1934-06-01', 'age_band_5', { referenceDate: '2024-05-31' })).toBe('85-89');
      expect(generalise('1934-06-01', 'age_band_5', { referenceDate: '2024-06-01' })).toBe('90+');
    });

    it('handles a leap-day birth across the fifth birthday', () => {
      expect(generalise('2000-02-29', 'age_band_5', { referenceDate: '2005-02-28' })).toBe('0-4');
      expect(generalise('2000-02-29', 'age_band_5', { referenceDate: '2005-03-01' })).toBe('5-9');
    });

    it('returns null for a birth after the reference date or an impossible birth date', () => {
      expect(generalise('2030-01-01', 'age_band_5', { referenceDate: '2024-01-01' })).toBeNull();
      expect(generalise('2001-02-29', 'age_band_5', { referenceDate: '2024-01-01' })).toBeNull();
    });

    it('refuses a date of birth without a readable reference date (a configuration error)', () => {
      expect(() => generalise('1980-03-14', 'age_band_5')).toThrow(/referenceDate/);
      expect(() => generalise('1980-03-14', 'age_band_5', { referenceDate: '2024-02-30' })).toThrow(
        /referenceDate/,
      );
    });
  });
});
