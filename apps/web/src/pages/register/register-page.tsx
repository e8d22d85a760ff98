import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Select, Tag, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { pageCount, totalWords } from '../../components/pager';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { readRegisterFilter, readRegisterPage, registerQuery, type RegisterFilter } from './register-queries';
import { dateWords, REGISTER_STATUS_WORDS, statusWords, type RegisterStatus } from './register-words';

/** The filter as query parameters, without the empty ones. */
const filterQuery = (filter: RegisterFilter): Record<string, string> =>
  Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));

/**
 * The public data uses register: search, filter by status and dataset, page through, download what the filter
 * selects as CSV or JSON. The filter lives in the address, so a search can be bookmarked and shared.
 */
export function RegisterPage() {
  usePageTitle('Data uses register');
  const [params, setParams] = useSearchParams();
  const filter = readRegisterFilter(params);
  const page = readRegisterPage(params);
  const [draft, setDraft] = useState<RegisterFilter>(filter);

  const register = useQuery({
    ...registerQuery(filter, page),
    placeholderData: keepPreviousData,
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setParams(filterQuery(draft));
  };
  const pageLink = (target: number) =>
    `?${new URLSearchParams({ ...filterQuery(filter), page: String(target) }).toString()}`;
  const download = new URLSearchParams(filterQuery(filter)).toString();

  return (
    <>
      <h1>Data uses register</h1>
      <p className="nhsuk-lede-text">
        Every project approved to use data in this service: what it is for, who runs it, which datasets it
        uses and on what legal basis.
      </p>
      <p>
        Totals over a period, with the signed audit log behind them, are in the{' '}
        <Link to="/transparency-statement">transparency statement</Link>.
      </p>
      <form onSubmit={apply} role="search" aria-label="Search the register">
        <TextInput
          label="Search"
          hint="Words in a project's title, summary or organisation"
          id="register-q"
          name="q"
          value={draft.q}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
        />
        <Select
          label="Status"
          id="register-status"
          name="status"
          value={draft.status}
          onChange={(event) => setDraft({ ...draft, status: event.target.value as RegisterFilter['status'] })}
        >
          <Select.Option value="">Any status</Select.Option>
          {Object.entries(REGISTER_STATUS_WORDS).map(([status, { words }]) => (
            <Select.Option key={status} value={status}>
              {words}
            </Select.Option>
          ))}
        </Select>
        <TextInput
          label="Dataset code"
          hint="For example, GP_EVENTS"
          id="register-dataset"
          name="dataset"
          width={20}
          value={draft.dataset}
          onChange={(event) => setDraft({ ...draft, dataset: event.target.value })}
        />
        <Button type="submit">Search</Button>
      </form>

      <QueryState query={register} what="Loading the register">
        {(result) => {
          const { pages, more } = pageCount(result.total, result.pageSize, result.totalIsLowerBound);
          return (
            <>
              <h2 aria-live="polite">
                {result.total === 1 && !result.totalIsLowerBound
                  ? '1 project'
                  : `${totalWords(result.total, result.totalIsLowerBound)} projects`}
              </h2>
              <p>
                Download these results:{' '}
                <a href={`/register/csv${download ? `?${download}` : ''}`} download>
                  CSV
                </a>{' '}
                or{' '}
                <a href={`/register/json${download ? `?${download}` : ''}`} download>
                  JSON
                </a>
              </p>
              <ul className="nhsuk-list nhsuk-list--border">
                {result.items.map((entry) => (
                  <li key={entry.id}>
                    <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                      <Link to={`/register/${entry.id}`}>{entry.title}</Link>
                    </h3>
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                      {entry.organisation} ·{' '}
                      <Tag modifier={REGISTER_STATUS_WORDS[entry.status as RegisterStatus]?.colour}>
                        {statusWords(entry.status)}
                      </Tag>{' '}
                      · approved {dateWords(entry.approvedOn)}
                    </p>
                    <p className="nhsuk-body-s">{entry.laySummary}</p>
                  </li>
                ))}
              </ul>
              {(pages > 1 || more) && (
                <nav className="nhsuk-pagination" aria-label="Pages of results">
                  <ul className="nhsuk-list nhsuk-pagination__list">
                    {page > 1 && (
                      <li className="nhsuk-pagination-item--previous">
                        <Link
                          className="nhsuk-pagination__link nhsuk-pagination__link--prev"
                          to={pageLink(page - 1)}
                        >
                          <span className="nhsuk-pagination__title">Previous</span>
                          <span className="nhsuk-u-visually-hidden">:</span>
                          <span className="nhsuk-pagination__page">Page {page - 1}</span>
                        </Link>
                      </li>
                    )}
                    {(page < pages || more) && (
                      <li className="nhsuk-pagination-item--next">
                        <Link
                          className="nhsuk-pagination__link nhsuk-pagination__link--next"
                          to={pageLink(page + 1)}
                        >
                          <span className="nhsuk-pagination__title">Next</span>
                          <span className="nhsuk-u-visually-hidden">:</span>
                          <span className="nhsuk-pagination__page">Page {page + 1}</span>
                        </Link>
                      </li>
                    )}
                  </ul>
                </nav>
              )}
              <p className="nhsuk-body-s">
                Page {more ? page : Math.min(page, pages)} of {more ? `${totalWords(pages)}+` : pages}
              </p>
            </>
          );
        }}
      </QueryState>
    </>
  );
}
