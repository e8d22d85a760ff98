import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { dateTimeWords } from './checker-words';
import { TableGrid } from './table-grid';

/** How many earlier releases the file review lays beside the table: enough to difference by eye. */
const BESIDE = 3;

/**
 * The project's earlier releases, for differencing by eye: on the request's page a list; on a file's page,
 * with `fileName`, the same file as each of the last few releases published it.
 */
export function EarlierReleases({
  projectId,
  excludeId,
  fileName,
}: {
  readonly projectId: string;
  readonly excludeId: string;
  readonly fileName?: string;
}) {
  const released = useQuery({
    queryKey: ['outputs', 'released', projectId],
    queryFn: () =>
      unwrap(
        api.GET('/outputs', {
          params: { query: { scope: 'all', status: 'released', projectId, page: 1, pageSize: 20 } },
        }),
      ),
  });
  const earlier = (released.data?.items ?? []).filter((item) => item.id !== excludeId);
  return (
    <section aria-labelledby="earlier-heading">
      <h2 id="earlier-heading">The project&apos;s earlier releases</h2>
      <QueryState query={released} what="Loading the project's earlier releases">
        {() =>
          earlier.length === 0 ? (
            <p>This project has released nothing before.</p>
          ) : fileName ? (
            <ReleasedFiles ids={earlier.slice(0, BESIDE).map((item) => item.id)} fileName={fileName} />
          ) : (
            <ul className="nhsuk-list nhsuk-list--bullet">
              {earlier.map((item) => (
                <li key={item.id}>
                  <Link to={`/checker/requests/${item.id}`}>{item.title}</Link>, released{' '}
                  {dateTimeWords(item.updatedAt)}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

function ReleasedFiles({ ids, fileName }: { readonly ids: string[]; readonly fileName: string }) {
  const details = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['outputs', id],
      queryFn: () => unwrap(api.GET('/outputs/{id}', { params: { path: { id } } })),
    })),
  });
  const tables = details.flatMap((detail) => {
    const file = detail.data?.fileList.find((f) => f.fileName === fileName && f.table);
    return detail.data && file?.table ? [{ request: detail.data, table: file.table }] : [];
  });
  if (details.some((d) => d.isPending)) return <p role="status">Loading the earlier releases…</p>;
  if (tables.length === 0) return <p>No earlier release has a table called {fileName}.</p>;
  return (
    <>
      {tables.map(({ request, table }) => (
        <TableGrid
          key={request.id}
          table={table}
          flags={[]}
          caption={`${fileName} as released in "${request.title}" (${dateTimeWords(request.decidedAt)})`}
        />
      ))}
    </>
  );
}
