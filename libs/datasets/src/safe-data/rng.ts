/**
 * A small seeded pseudo-random generator for synthetic data (seeded sources, benchmarks, tests), so the same
 * seed always produces the same people. Not for anything secret: keys and salts come from node:crypto.
 */

/** Returns a float in [0, 1), like Math.random, so either can be passed where an Rng is expected. */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator as published in bryc's "PRNGs" collection): one 32-bit word of
 * state, period 2^32, fast and good enough for synthetic records. The seed is taken modulo 2^32, so seeds that
 * differ by a multiple of 2^32 give the same sequence.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`RNG seed must be a safe integer, got ${seed}`);
  let state = Number(BigInt.asUintN(32, BigInt(seed)));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [minInclusive, maxExclusive). */
export function randomInt(rng: Rng, minInclusive: number, maxExclusive: number): number {
  if (
    !Number.isSafeInteger(minInclusive) ||
    !Number.isSafeInteger(maxExclusive) ||
    maxExclusive <= minInclusive
  ) {
    throw new RangeError(`randomInt needs integers with min < max, got [${minInclusive}, ${maxExclusive})`);
  }
  return minInclusive + Math.floor(rng() * (maxExclusive - minInclusive));
}

/** One element chosen uniformly. */
export function pickOne<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pickOne needs at least one item');
  return items[randomInt(rng, 0, items.length)];
}
