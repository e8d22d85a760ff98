import { createRng, pickOne, randomInt } from './rng';

/**
 * Expected words come from an independent Python re-implementation of mulberry32 (bryc's PRNGs.md), run once:
 *   s = (s + 0x6D2B79F5) & M; t = imul(t ^ t>>15, t|1); t ^= (t + imul(t ^ t>>7, t|61)) & M; out = t ^ t>>14
 * seed 0  -> 1144304738, 1416247, 958946056, 627933444
 * seed 42 -> 2581720956, 1925393290, 3661312704, 2876485805
 */
const TWO_TO_THE_32 = 4294967296;

describe('createRng', () => {
  it('reproduces the mulberry32 reference sequence for seed 0', () => {
    const rng = createRng(0);
    const words = [rng(), rng(), rng(), rng()].map((value) => value * TWO_TO_THE_32);
    expect(words).toEqual([1144304738, 1416247, 958946056, 627933444]);
  });

  it('reproduces the mulberry32 reference sequence for seed 42, and seeds are taken modulo 2^32', () => {
    for (const seed of [42, TWO_TO_THE_32 + 42]) {
      const rng = createRng(seed);
      const words = [rng(), rng(), rng(), rng()].map((value) => value * TWO_TO_THE_32);
      expect(words).toEqual([2581720956, 1925393290, 3661312704, 2876485805]);
    }
  });

  it('stays in [0, 1)', () => {
    const rng = createRng(7);
    for (let draw = 0; draw < 10_000; draw++) {
      const value = rng();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });

  it('refuses seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });
});

describe('randomInt and pickOne', () => {
  it('covers the whole half-open range and nothing outside it', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let draw = 0; draw < 1000; draw++) seen.add(randomInt(rng, -2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('refuses an empty range or list', () => {
    const rng = createRng(3);
    expect(() => randomInt(rng, 5, 5)).toThrow(RangeError);
    expect(() => pickOne(rng, [])).toThrow(RangeError);
  });

  it('picks only listed items', () => {
    const rng = createRng(11);
    const items = ['a', 'b', 'c'] as const;
    const picked = new Set(Array.from({ length: 200 }, () => pickOne(rng, items)));
    expect([...picked].sort()).toEqual(['a', 'b', 'c']);
  });
});
