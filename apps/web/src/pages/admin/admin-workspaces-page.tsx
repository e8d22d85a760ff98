import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { dateTimeWords } from '../checker/checker-words';
import { workspaceStateWords } from '../researcher/researcher-words';
import { stepSummary, workspaceStateLine } from './admin-words';
import { Pager } from '../../components/pager';
import { ColumnHeads } from '../../components/column-heads';

const PAGE_SIZE = 20;

/** Every workspace for admins, newest first, a page at a time; it refreshes while any is changing. */
export function AdminWorkspacesPage() {
  usePageTitle('Workspaces');
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const workspaces = useQuery({
    queryKey: ['workspaces', 'admin', page],
    queryFn: () => unwrap(api.GET('/workspaces', { params: { query: { page, pageSize: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  // Titles for the project column: the workspace names its project by id only.
  const projects = useQuery({
    queryKey: ['projects', 'all'],
    queryFn: () =>
      unwrap(api.GET('/projects', { params: { query: { scope: 'all', page: 1, pageSize: 200 } } })),
  });
  const titleOf = (id: string) => projects.data?.items.find((p) => p.id === id)?.title ?? id;
  return (
    <>
      <h1>Workspaces</h1>
      <QueryState query={workspaces} what="Loading the workspaces">
        {(data) =>
          data.total === 0 ? (
            <p>There are no workspaces yet: one is made when a project is approved.</p>
          ) : (
            <>
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption">
                  {data.total} {data.total === 1 ? 'workspace' : 'workspaces'}
                </caption>
                <ColumnHeads names={['Project', 'State', 'Size and tool', 'Steps', 'Created']} />
                <tbody className="nhsuk-table__body">
                  {data.items.map((w) => (
                    <tr key={w.id} className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__header">
                        <Link to={`/admin/workspaces/${w.id}`}>Workspace of {titleOf(w.projectId)}</Link>
                      </th>
                      <td className="nhsuk-table__cell">{workspaceStateLine(w, workspaceStateWords)}</td>
                      <td className="nhsuk-table__cell">
                        {w.size}, {w.tool}
                      </td>
                      <td className="nhsuk-table__cell">{stepSummary(w)}</td>
                      <td className="nhsuk-table__cell">{dateTimeWords(w.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                page={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                label="Pages of workspaces"
                onPage={(p) => setParams({ page: String(p) })}
              />
            </>
          )
        }
      </QueryState>
    </>
  );
}
