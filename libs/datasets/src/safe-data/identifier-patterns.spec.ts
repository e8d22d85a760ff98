import { couldHoldIdentifier, scanValue } from './identifier-patterns';
import { makeTestNhsNumber } from './nhs-number';
import { Pseudonymiser } from './pseudonymiser';
import { createRng, pickOne, randomInt } from './rng';

/*
 * NHS numbers used here are checked by hand in nhs-number.spec.ts: 9434765919 and 4010232137 pass modulus 11,
 * 9434765918 does not. 1234567890 fails too: 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210, 210 mod 11 = 1,
 * 11 - 1 = 10, which is never a valid check digit. 0207946095: 0+18+0+49+54+20+24+0+18 = 183, 183 mod 11 = 7,
 * check 4, not 5. Phone numbers are from Ofcom's drama ranges (020 7946 0xxx, 01632 960xxx, 07700 900xxx);
 * postcodes are the Wikipedia format examples.
 */
describe('scanValue', () => {
  it.each([
    ['9434765919', ['nhs_number']],
    ['943 476 5919', ['nhs_number']],
    ['943-476-5919', ['nhs_number']],
    ['NHS no: 943 476 5919.', ['nhs_number']],
    ['patient_4010232137', ['nhs_number']],
    ['123 9434765919', ['nhs_number']],
    ['SW1A 1AA', ['postcode']],
    ['sw1a1aa', ['postcode']],
    ['lives near M1 1AE, Manchester', ['postcode']],
    ['DN55  1PT', ['postcode']],
    ['jane.doe@example.org', ['email']],
    ['Contact: j.smith+clinic@nhs.net.', ['email']],
    ['020 7946 0958', ['phone']],
    ['(020) 7946 0958', ['phone']],
    ['07700 900123', ['phone']],
    ['07700-900-123', ['phone']],
    ['call 01632960001 today', ['phone']],
    ['+44 20 7946 0958', ['phone']],
    ['+44 (0)20 7946 0958', ['phone']],
    ['+447700900123', ['phone']],
    ['0044 7700 900123', ['phone']],
    [
      '943 476 5919 / SW1A 1AA / a.b@example.com / 07700 900123',
      ['nhs_number', 'postcode', 'email', 'phone'],
    ],
  ])('finds identifiers in %j', (value, kinds) => {
    expect(scanValue(value)).toEqual(kinds);
  });

  it.each([
    ['9434765918', 'ten digits failing modulus 11'],
    ['1234567890', 'ten digits whose check digit would be 10'],
    ['943 476 591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['9434-765-919', 'grouped 4-3-3, not 3-3-4'],
    ['NHS9434765919', 'glued to letters (documented blind spot, the price of not flagging hex)'],
    ['2024-01-15', 'a date'],
    ['20240115', 'a compact date'],
    ['2024-01-15T10:30:00Z', 'a timestamp'],
    ['2024-01-15 2024-02-16', 'two dates'],
    ['E11.9', 'an ICD-10 code'],
    ['22298006', 'a SNOMED CT concept id'],
    ['SW1A', 'a postcode district, which is an allowed release form'],
    ['SW1A 1CA', 'C is never an inward letter'],
    ['X12 3AB', 'X never starts a postcode'],
    ['AB12CD', 'a code shaped like a postcode but not one'],
    ['jane@localhost', 'no dotted domain'],
    ['user@example.c0m', 'top-level domain with a digit'],
    ['@handle', 'a social media handle'],
    ['0207946095', 'ten digits starting 0'],
    ['020794609581', 'twelve digits starting 0'],
    ['00000000000', 'eleven digits starting 00'],
    ['12345678901', 'eleven digits not starting 0'],
    ['+1 202 555 0143', 'a US number'],
    ['ab07700900123', 'a phone number glued to letters'],
    ['', 'empty'],
  ])('finds nothing in %j (%s)', (value) => {
    expect(scanValue(value)).toEqual([]);
  });

  it('finds nothing in missing values', () => {
    expect(scanValue(null)).toEqual([]);
    expect(scanValue(undefined)).toEqual([]);
  });

  it('never flags a hex pseudonym, even when its digits happen to form an NHS or phone number', () => {
    expect(scanValue('ab9434765919cd')).toEqual([]);
    const pseudonymiser = new Pseudonymiser(Buffer.alloc(32, 7));
    const rng = createRng(17);
    for (let draw = 0; draw < 20_000; draw++) {
      const pseudonym = pseudonymiser.pseudonymiseNhsNumber(makeTestNhsNumber(rng));
      expect(scanValue(pseudonym)).toEqual([]);
    }
  });

  it('returns promptly on long adversarial values', () => {
    const long = `${'a.'.repeat(20_000)}@${'b-'.repeat(20_000)}${'9 '.repeat(20_000)}`;
    const started = Date.now();
    expect(scanValue(long)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('couldHoldIdentifier', () => {
  it('is never false for a value in which scanValue finds something', () => {
    const rng = createRng(3);
    const pieces = [
      '943 476 5919',
      '9434765919',
      '943-476-5919',
      'SW1A 1AA',
      'M1 1AE',
      'm11ae',
      'B33 8TH',
      'GIR 0AA',
      'a@b.co',
      'me@example.org',
      '020 7946 0958',
      '+44 (0)20 7946 0958',
      '07700900123',
      '+447700900123',
      'x',
      ' ',
      '-',
      '1',
      'AB',
      '12',
      'é',
      '☃',
      ',',
      '"',
      'Ω1A 1AA',
      'ＳＷ１Ａ １ＡＡ',
    ];
    let found = 0;
    for (let i = 0; i < 20_000; i++) {
      let value = '';
      for (let n = randomInt(rng, 1, 4); n > 0; n--) value += pickOne(rng, pieces);
      if (scanValue(value).length === 0) continue;
      found++;
      const bytes = Buffer.from(`..${value}..`, 'utf8');
      expect([value, couldHoldIdentifier(bytes, 2, bytes.length - 2)]).toEqual([value, true]);
    }
    expect(found).toBeGreaterThan(5_000);
  });

  it('lets plain codes, dates and words through unscanned', () => {
    for (const value of ['I50.0', 'J93675', '2024-12', '12', '1980s', 'F', '', 'ABC1']) {
      expect(couldHoldIdentifier(Buffer.from(value), 0, value.length)).toBe(false);
    }
  });
});
