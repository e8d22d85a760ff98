import { useQuery } from '@tanstack/react-query';
import { Button } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from '../checker/checker-words';
import { bytesWords } from './admin-words';

/** How often the list is asked again: sessions start, end and move bytes all the time. */
const REFRESH_MS = 3000;

/** Live sessions on workspace tools through the gateway, refreshing by itself; an admin terminates any. */
export function AdminSessionsPage() {
  usePageTitle('Live sessions');
  const sessions = useQuery({
    queryKey: ['sessions', 'live'],
    queryFn: () => unwrap(api.GET('/sessions', { params: { query: { live: true } } })),
    refetchInterval: REFRESH_MS,
  });
  return (
    <>
      <h1>Live sessions</h1>
      <p>
        Sessions open on workspace tools through the access gateway. This list refreshes every few seconds.
      </p>
      <QueryState query={sessions} what="Loading the live sessions">
        {(items) =>
          items.length === 0 ? (
            <p role="status">No one has a session open.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">
                {items.length} live {items.length === 1 ? 'session' : 'sessions'}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  {['Person', 'Workspace', 'Started', 'Last activity', 'Bytes in', 'Bytes out', 'Action'].map(
                    (h) => (
                      <th key={h} scope="col" className="nhsuk-table__header">
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {items.map((session) => (
                  <SessionRow key={session.id} session={session} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </>
  );
}

function SessionRow({ session }: { readonly session: Schemas['SessionDto'] }) {
  const [confirming, setConfirming] = useState(false);
  const { submit, pending, refusal } = useSubmit({
    send: () => unwrap(api.DELETE('/sessions/{id}', { params: { path: { id: session.id } } })),
    invalidates: [['sessions']],
  });
  return (
    <tr className="nhsuk-table__row">
      <th scope="row" className="nhsuk-table__header">
        {session.subject}
      </th>
      <td className="nhsuk-table__cell">
        <Link to={`/admin/workspaces/${session.workspaceId}`}>
          Workspace {session.workspaceId.slice(0, 8)}
        </Link>
      </td>
      <td className="nhsuk-table__cell">{dateTimeWords(session.startedAt)}</td>
      <td className="nhsuk-table__cell">{dateTimeWords(session.lastActivityAt)}</td>
      <td className="nhsuk-table__cell">{bytesWords(session.bytesIn)}</td>
      <td className="nhsuk-table__cell">{bytesWords(session.bytesOut)}</td>
      <td className="nhsuk-table__cell">
        {refusal && <RefusalSummary error={refusal} />}
        {confirming ? (
          <>
            <p>End this session now? Its connections close at once.</p>
            <Button type="button" warning disabled={pending} onClick={() => submit(undefined)}>
              Yes, terminate the session of {session.subject}
            </Button>{' '}
            <Button type="button" secondary onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </>
        ) : (
          <Button type="button" secondary onClick={() => setConfirming(true)}>
            Terminate the session of {session.subject}
          </Button>
        )}
      </td>
    </tr>
  );
}
