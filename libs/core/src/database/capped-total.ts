/**
 * Past this many matches a listing's total says "at least this many" instead of counting on. A window count
 * (`COUNT(*) OVER ()`) reads and checks every match before the first row of a page is returned: the checkers'
 * queue read all 1,818 requests in review with their per-row checks (5,500 buffers, 9 ms warm) to show 20.
 */
export const LIST_TOTAL_LIMIT = 1_000;

/** A listing's total as the caller sees it: exact up to the limit, then the limit and a flag. */
export interface CappedTotal {
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}

/** What was counted (at most `limit` + 1), as the listing reports it. */
export function cappedTotal(counted: number, limit: number = LIST_TOTAL_LIMIT): CappedTotal {
  return { total: Math.min(counted, limit), totalIsLowerBound: counted > limit };
}

/**
 * A sub-query counting the rows of `fromWhere` (`FROM ... WHERE ...`, the page's own, with no order or paging) no
 * further than `limit` + 1, by `column`: counting them says whether more than `limit` match without reading the
 * rest. Without an ORDER BY the planner is free to count by the cheapest path (a bitmap scan and a hash
 * anti-join, where the page itself walks the ordering index).
 */
export function countUpToSql(column: string, fromWhere: string, limit: number = LIST_TOTAL_LIMIT): string {
  return `(SELECT COUNT(*)::int FROM (SELECT ${column} ${fromWhere} LIMIT ${limit + 1}) capped_matches)`;
}

/**
 * The total a page's query carried in its rows (`column` on each). A page with no row carries none: if it is the
 * first page (no offset, no cursor) nothing matches (0, with no second round trip: a researcher's empty dashboard
 * list is the common case); past the end the matches are counted apart.
 */
export async function totalOfPage<Row, K extends keyof Row>(
  rows: readonly Row[],
  column: K,
  firstPage: boolean,
  countApart: () => Promise<number>,
): Promise<number> {
  if (rows.length > 0) return Number(rows[0][column]);
  return firstPage ? 0 : countApart();
}
