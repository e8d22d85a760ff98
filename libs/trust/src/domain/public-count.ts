/**
 * How many people a public figure counts, safe to publish: rounded to the nearest 10, and below 10 never a
 * number at all (0 included), so no published count of people is exact where a small count could single
 * someone out, and two rounded figures cannot be subtracted back to a small one exactly.
 */
export interface PublicCount {
  /** The count rounded to the nearest 10; null below 10. */
  readonly rounded: number | null;
  /** What a page or CSV shows: the rounded number, or "fewer than 10". */
  readonly text: string;
}

export const SMALL_COUNT_LIMIT = 10;
export const FEWER_THAN_10 = 'fewer than 10';

export function publicCount(exact: number): PublicCount {
  if (!Number.isInteger(exact) || exact < 0) throw new RangeError(`not a count of people: ${exact}`);
  if (exact < SMALL_COUNT_LIMIT) return { rounded: null, text: FEWER_THAN_10 };
  const rounded = Math.round(exact / 10) * 10;
  return { rounded, text: String(rounded) };
}
