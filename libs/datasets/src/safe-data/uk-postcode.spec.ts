import { normaliseUkPostcode, postcodeDistrict } from './uk-postcode';

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
