import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { timeSince } from './checker-words';
import { draftVotesOf } from './review-drafts';
import { ColumnHeads } from '../../components/column-heads';
import { Pager, totalWords } from '../../components/pager';

const PAGE_SIZE = 50;

/**
 * The output checker's queue: requests in review that wait on them (not their own projects', and not ones
 * they have already reviewed unless the checkers disagree), each with how far their review has got and how
 * long it has waited.
 */
export function CheckerQueuePage() {
  usePageTitle('Outputs to check');
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const queue = useQuery({
    queryKey: ['outputs', 'awaiting_review', page],
    queryFn: () =>
      unwrap(
        api.GET('/outputs', { params: { query: { scope: 'awaiting_review', page, pageSize: PAGE_SIZE } } }),
      ),
  });
  return (
    <>
      <h1>Outputs to check</h1>
      <QueryState query={queue} what="Loading the requests waiting for you">
        {(data) => {
          if (data.total === 0) return <p>No output requests are waiting for your review.</p>;
          return (
            <>
              <h2>
                {totalWords(data.total, data.totalIsLowerBound)}{' '}
                {data.total === 1 && !data.totalIsLowerBound ? 'request waits' : 'requests wait'} for your
                review
              </h2>
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                  Requests waiting for your review, the longest waiting last
                </caption>
                <ColumnHeads names={['Request', 'Round', 'Your review', 'Submitted']} />
                <tbody className="nhsuk-table__body">
                  {data.items.map((item) => {
                    const drafted = Object.keys(draftVotesOf(item.id, item.round)).length;
                    return (
                      <tr key={item.id} className="nhsuk-table__row">
                        <td className="nhsuk-table__cell">
                          <Link to={`/checker/requests/${item.id}`}>{item.title}</Link>
                        </td>
                        <td className="nhsuk-table__cell">{item.round}</td>
                        <td className="nhsuk-table__cell">
                          {Math.min(drafted, item.files)} of {item.files}{' '}
                          {item.files === 1 ? 'file' : 'files'}
                        </td>
                        <td className="nhsuk-table__cell">{timeSince(item.submittedAt)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <Pager
                page={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                totalIsLowerBound={data.totalIsLowerBound}
                label="Pages of the queue"
                onPage={(next) => setParams({ page: String(next) })}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
