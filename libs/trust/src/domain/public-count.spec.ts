import { FEWER_THAN_10, publicCount } from './public-count';

describe('publicCount', () => {
  it('never gives a number below 10, zero included', () => {
    for (let n = 0; n < 10; n += 1) expect(publicCount(n)).toEqual({ rounded: null, text: FEWER_THAN_10 });
  });

  it('rounds to the nearest 10, halves up', () => {
    expect(publicCount(10)).toEqual({ rounded: 10, text: '10' });
    expect(publicCount(14)).toEqual({ rounded: 10, text: '10' });
    expect(publicCount(15)).toEqual({ rounded: 20, text: '20' });
    expect(publicCount(1234)).toEqual({ rounded: 1230, text: '1230' });
    expect(publicCount(1235)).toEqual({ rounded: 1240, text: '1240' });
  });

  it('every published number is a multiple of 10 and within 5 of the truth', () => {
    for (let n = 10; n < 2000; n += 1) {
      const { rounded } = publicCount(n);
      expect(rounded! % 10).toBe(0);
      expect(Math.abs(rounded! - n)).toBeLessThanOrEqual(5);
    }
  });

  it('refuses what is not a count', () => {
    expect(() => publicCount(-1)).toThrow(RangeError);
    expect(() => publicCount(2.5)).toThrow(RangeError);
  });
});
