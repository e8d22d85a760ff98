import { addQuantities, canonicalQuantity, compareQuantities, parseQuantity } from './quantity';

describe('quantities', () => {
  it.each([
    ['2000m', '2'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1000M', '1G'],
    ['1500', '1500'],
    ['0', '0'],
    ['0.5Gi', '512Mi'],
  ])('writes %s in the canonical form the server stores: %s', (input, canonical) => {
    expect(canonicalQuantity(input)).toBe(canonical);
  });

  it.each([
    [['1', '500m'], '1500m'],
    [['2Gi', '512Mi'], '2560Mi'],
    [['10Gi', '5Gi'], '15Gi'],
    [['1G', '24Mi'], '1025165824'],
  ])('adds %j to %s', (terms, sum) => {
    expect(addQuantities(...terms)).toBe(sum);
  });

  it('compares across suffixes', () => {
    expect(compareQuantities('1Gi', '1000Mi')).toBe(1);
    expect(compareQuantities('1', '1000m')).toBe(0);
    expect(compareQuantities('1G', '1Gi')).toBe(-1);
  });

  it.each(['', '1.2.3', '-1', '1e3', '5 Gi', 'Gi'])('refuses %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(RangeError);
  });
});
