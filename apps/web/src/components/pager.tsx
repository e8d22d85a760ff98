/**
 * A listing's total as words: "1,234", or "1,000+" when the API stopped counting at its bound (a listing counts
 * its matches up to 1,000 and says `totalIsLowerBound` past that, rather than reading every match).
 */
export function totalWords(total: number, totalIsLowerBound = false): string {
  const digits = String(Math.trunc(total)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return totalIsLowerBound ? `${digits}+` : digits;
}

/**
 * How many pages a listing has, and whether there may be more than that (the total is a lower bound): past the
 * counted pages the reader can still go on, one page at a time, until a page comes back short.
 */
export function pageCount(
  total: number,
  pageSize: number,
  totalIsLowerBound = false,
): { pages: number; more: boolean } {
  return { pages: Math.max(1, Math.ceil(total / pageSize)), more: totalIsLowerBound };
}

/** Previous and next page of a listing, with where the reader is; nothing when one page holds it all. */
export function Pager({
  page,
  pageSize,
  total,
  totalIsLowerBound = false,
  label,
  onPage,
}: {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly totalIsLowerBound?: boolean;
  readonly label: string;
  readonly onPage: (page: number) => void;
}) {
  const { pages, more } = pageCount(total, pageSize, totalIsLowerBound);
  if (pages <= 1 && !more) return null;
  return (
    <nav aria-label={label} className="nhsuk-pagination">
      <p>
        Page {page} of {more ? `${totalWords(pages)}+` : pages}
      </p>
      {page > 1 && (
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() => onPage(page - 1)}
        >
          Previous page
        </button>
      )}{' '}
      {(page < pages || more) && (
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() => onPage(page + 1)}
        >
          Next page
        </button>
      )}
    </nav>
  );
}
