import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { timeSince } from '../checker/checker-words';
import { ColumnHeads } from '../../components/column-heads';
import { totalWords } from '../../components/pager';

/** The data access committee's queue: applications in review that wait on this member. */
export function CommitteeQueuePage() {
  usePageTitle('Applications to review');
  const queue = useQuery({
    queryKey: ['projects', 'awaiting_review'],
    queryFn: () =>
      unwrap(
        api.GET('/projects', { params: { query: { scope: 'awaiting_review', page: 1, pageSize: 100 } } }),
      ),
  });
  return (
    <>
      <h1>Applications to review</h1>
      <QueryState query={queue} what="Loading the applications waiting for you">
        {(data) =>
          data.total === 0 ? (
            <p>No applications are waiting for your review.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">
                {totalWords(data.total, data.totalIsLowerBound)}{' '}
                {data.total === 1 && !data.totalIsLowerBound ? 'application waits' : 'applications wait'} for
                your review
              </caption>
              <ColumnHeads names={['Application', 'Organisation', 'Version', 'Waiting since']} />
              <tbody className="nhsuk-table__body">
                {data.items.map((item) => (
                  <tr key={item.id} className="nhsuk-table__row">
                    <td className="nhsuk-table__cell">
                      <Link to={`/committee/applications/${item.id}`}>{item.title}</Link>
                    </td>
                    <td className="nhsuk-table__cell">{item.organisation}</td>
                    <td className="nhsuk-table__cell">{item.applicationVersion}</td>
                    <td className="nhsuk-table__cell">{timeSince(item.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </>
  );
}
