/** Previous and next page of a listing, with where the reader is; nothing when one page holds it all. */
export function Pager({
  page,
  pageSize,
  total,
  label,
  onPage,
}: {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly label: string;
  readonly onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="nhsuk-pagination">
      <p>
        Page {page} of {pages}
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
      {page < pages && (
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
