import { normaliseUkPostcode, postcodeDistrict, postcodeDistrictBytes } from './uk-postcode';

/*
 * Valid examples cover each outward format (A9, A99, AA9, AA99, A9A, AA9A) and are the format examples in the
 * Wikipedia article "Postcodes in the United Kingdom"; the district is the part before the space, read off by eye.
 */
describe('normaliseUkPostcode and postcodeDistrict', () => {
  it.each([
    ['M1 1AE', 'M1 1AE', 'M1'],
    ['B33 8TH', 'B33 8TH', 'B33'],
    ['CR2 6XH', 'CR2 6XH', 'CR2'],
    ['DN55 1PT', 'DN55 1PT', 'DN55'],
    ['W1A 0AX', 'W1A 0AX', 'W1A'],
    ['EC1A 1BB', 'EC1A 1BB', 'EC1A'],
    ['SW1A 1AA', 'SW1A 1AA', 'SW1A'],
    ['sw1a1aa', 'SW1A 1AA', 'SW1A'],
    ['  Sw1A \t 1aA ', 'SW1A 1AA', 'SW1A'],
    ['GIR 0AA', 'GIR 0AA', 'GIR'],
  ])('%j -> %s (district %s)', (input, normalised, district) => {
    expect(normaliseUkPostcode(input)).toBe(normalised);
    expect(postcodeDistrict(input)).toBe(district);
  });

  it.each([
    ['SW1A', 'outward code only'],
    ['SW1A 1', 'incomplete inward code'],
    ['SW1A 1AAA', 'inward code too long'],
    ['QW1 1AA', 'Q never starts a postcode'],
    ['AJ1 1AA', 'J is never the second letter'],
    ['SW1A 1CA', 'C is never an inward letter'],
    ['SW1A 1AI', 'I is never an inward letter'],
    ['W1I 0AX', 'I is never a third-position letter'],
    ['GIR 1AA', 'GIR only with 0AA'],
    ['12345', 'digits only'],
    ['SW1A-1AA', 'a hyphen is not a space'],
    ['', 'empty'],
  ])('rejects %j (%s)', (input) => {
    expect(normaliseUkPostcode(input)).toBeNull();
    expect(postcodeDistrict(input)).toBeNull();
  });

  it('treats missing values as invalid', () => {
    expect(postcodeDistrict(null)).toBeNull();
    expect(postcodeDistrict(undefined)).toBeNull();
  });
});

describe('postcodeDistrictBytes', () => {
  // Values the byte version should answer itself: ASCII without a COPY escape.
  const isPlainAscii = (value: string): boolean =>
    [...value].every((ch) => ch.charCodeAt(0) < 0x80) && !value.includes('\\');
  const out = Buffer.alloc(8);
  /** What the byte version says: the district, or undefined when it leaves the answer to postcodeDistrict. */
  const onBytes = (value: string): string | undefined => {
    const bytes = Buffer.from(`"${value}"`, 'utf8');
    const length = postcodeDistrictBytes(bytes, 1, bytes.length - 1, out, 0);
    return length < 0 ? undefined : out.toString('latin1', 0, length);
  };
  const disagreeing = (values: Iterable<string>): string[] => {
    const found: string[] = [];
    for (const value of values) {
      const expected = postcodeDistrict(value);
      const got = onBytes(value);
      // Declining is always safe (the string path answers); answering must give the same district.
      if (got !== undefined ? got !== expected : expected !== null && isPlainAscii(value)) found.push(value);
    }
    return found;
  };
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  function* codes(length: number, prefix = ''): Generator<string> {
    if (length === 0) yield prefix;
    else for (const ch of ALPHABET) yield* codes(length - 1, prefix + ch);
  }

  it('agrees with postcodeDistrict on every outward code of 1 to 4 characters', () => {
    for (const length of [1, 2, 3, 4]) {
      expect(
        disagreeing(
          (function* () {
            for (const outward of codes(length)) yield `${outward} 1AA`;
          })(),
        ),
      ).toEqual([]);
    }
  });

  it('agrees on every inward code, GIR, case, spacing and odd input', () => {
    expect(
      disagreeing(
        (function* () {
          for (const inward of codes(3)) {
            yield `SW1A${inward}`;
            yield `GIR ${inward}`;
            yield `m1 ${inward.toLowerCase()}`;
          }
        })(),
      ),
    ).toEqual([]);
    const odd = [
      '  Sw1A \t 1aA ',
      'sw1a1aa',
      'SW1A',
      'SW1A 1AAA',
      'S W 1 A 1 A A',
      'SW1A-1AA',
      '',
      ' ',
      'Sw1A\u00a01AA',
      'ÅB1 1AA',
      'SW1A\\t1AA',
    ];
    expect(disagreeing(odd)).toEqual([]);
    expect(onBytes('  Sw1A \t 1aA ')).toBe('SW1A');
    expect(onBytes('gir0aa')).toBe('GIR');
    expect(onBytes('Sw1A\u00a01AA')).toBeUndefined();
  });
});
