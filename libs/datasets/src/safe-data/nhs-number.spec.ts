import {
  formatNhsNumber,
  isValidNhsNumber,
  makeTestNhsNumber,
  nhsNumberCheckDigit,
  normaliseNhsNumber,
} from './nhs-number';
import { createRng } from './rng';

/*
 * Hand-verified examples (weights 10..2 over the first nine digits; check = 11 - (sum mod 11); 11 -> 0; 10 invalid):
 *
 * 943 476 591|9 (the example the NHS publishes):
 *   9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 90+36+24+28+42+30+20+27+2 = 299
 *   299 mod 11 = 299 - 297 = 2; 11 - 2 = 9  -> check digit 9, valid.
 * 401 023 213|7 (another published example):
 *   4*10 + 0*9 + 1*8 + 0*7 + 2*6 + 3*5 + 2*4 + 1*3 + 3*2 = 40+0+8+0+12+15+8+3+6 = 92
 *   92 mod 11 = 92 - 88 = 4; 11 - 4 = 7  -> check digit 7, valid.
 * 999 000 000|x: 9*10 + 9*9 + 9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10 -> no valid check digit exists.
 * 999 000 001|8: 243 + 1*2 = 245; 245 mod 11 = 3; 11 - 3 = 8 -> 9990000018 valid.
 * 999 000 005|0: 243 + 5*2 = 253 = 11*23; 253 mod 11 = 0; 11 - 0 = 11 -> 0 -> 9990000050 valid.
 */
describe('nhsNumberCheckDigit', () => {
  it('matches the hand-worked examples, including 11 -> 0 and 10 -> none', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    expect(nhsNumberCheckDigit('401023213')).toBe(7);
    expect(nhsNumberCheckDigit('999000001')).toBe(8);
    expect(nhsNumberCheckDigit('999000005')).toBe(0);
    expect(nhsNumberCheckDigit('999000000')).toBeNull();
  });

  it('refuses anything but nine digits', () => {
    expect(() => nhsNumberCheckDigit('94347659')).toThrow(RangeError);
    expect(() => nhsNumberCheckDigit('94347659x')).toThrow(RangeError);
  });
});

describe('normaliseNhsNumber and isValidNhsNumber', () => {
  it.each([
    ['9434765919', '9434765919'],
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    [' 943  476-5919 ', '9434765919'],
    ['4010232137', '4010232137'],
    ['9990000050', '9990000050'],
  ])('accepts %j as %s', (input, expected) => {
    expect(normaliseNhsNumber(input)).toBe(expected);
    expect(isValidNhsNumber(input)).toBe(true);
  });

  it.each([
    ['9434765918', 'wrong check digit (9 expected)'],
    ['4010232138', 'wrong check digit (7 expected)'],
    ['9990000000', 'prefix whose check digit would be 10'],
    ['9990000009', 'prefix whose check digit would be 10'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943 476 591X', 'a letter'],
    ['943.476.5919', 'dots are not accepted separators'],
    ['', 'empty'],
  ])('rejects %j (%s)', (input) => {
    expect(normaliseNhsNumber(input)).toBeNull();
    expect(isValidNhsNumber(input)).toBe(false);
  });

  it('treats missing values as invalid', () => {
    expect(normaliseNhsNumber(null)).toBeNull();
    expect(normaliseNhsNumber(undefined)).toBeNull();
  });
});

describe('formatNhsNumber', () => {
  it('prints 3-3-4 and round-trips through normalisation', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(normaliseNhsNumber(formatNhsNumber('4010232137'))).toBe('4010232137');
    expect(() => formatNhsNumber('943 476 5919')).toThrow(RangeError);
  });
});

describe('makeTestNhsNumber', () => {
  it('draws valid numbers in the 999 test range only', () => {
    const rng = createRng(2024);
    for (let draw = 0; draw < 5000; draw++) {
      const number = makeTestNhsNumber(rng);
      expect(number).toMatch(/^999[0-9]{7}$/);
      expect(isValidNhsNumber(number)).toBe(true);
    }
  });

  it('is reproducible from the seed and spreads across the range', () => {
    const first = Array.from(
      { length: 100 },
      (
        (rng) => () =>
          makeTestNhsNumber(rng)
      )(createRng(5)),
    );
    const second = Array.from(
      { length: 100 },
      (
        (rng) => () =>
          makeTestNhsNumber(rng)
      )(createRng(5)),
    );
    expect(first).toEqual(second);
    expect(new Set(first).size).toBeGreaterThan(95);
  });
});
