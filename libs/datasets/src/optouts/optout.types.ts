/** The two opt-out lists the service knows. */
export const OPT_OUT_LISTS = ['national', 'type1'] as const;
export type OptOutList = (typeof OPT_OUT_LISTS)[number];

export const isOptOutList = (value: unknown): value is OptOutList =>
  typeof value === 'string' && (OPT_OUT_LISTS as readonly string[]).includes(value);

/**
 * One version of a list, in memory for an extract: a Set of normalised ten-digit NHS numbers. A string of ten
 * characters in a V8 Set costs about 80 bytes with its hash entry, so 100,000 opted-out people take about
 * 8 MB and a national list of 3 million about 250 MB; the extract holds one or two lists at a time.
 */
export interface OptOutSet {
  readonly list: OptOutList;
  /** 0 when the list has never been loaded (then the set is empty). */
  readonly version: number;
  readonly size: number;
  has(normalisedNhsNumber: string): boolean;
  /** The same test on a normalised number given as ten ASCII digits at digits[start..]. */
  hasDigits(digits: Uint8Array, start: number): boolean;
}

/** What anyone allowed to see it learns about a list: never the numbers. */
export interface OptOutListSummary {
  readonly list: OptOutList;
  /** 0 and nulls when never loaded. */
  readonly version: number;
  readonly count: number;
  readonly loadedAt: string | null;
  readonly loadedBy: string | null;
}

/** Who loads a list: a user id (or `system:cli`) and their roles. */
export interface OptOutActor {
  readonly id: string;
  readonly roles: readonly string[];
}
