import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, Navigate } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { NotificationList } from './notification-list';

const PAGE_SIZE = 20;
export const INBOX_KEY = ['me', 'notifications'] as const;

/** The person's inbox: every notification, newest first, twenty to a page, with "mark all as read". */
export function NotificationsPage() {
  usePageTitle('Your messages');
  const session = useSession();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const inbox = useQuery({
    queryKey: [...INBOX_KEY, page],
    queryFn: () => unwrap(api.GET('/me/notifications', { params: { query: { page, pageSize: PAGE_SIZE } } })),
    enabled: Boolean(session.me),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: INBOX_KEY });
  const read = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/me/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const readAll = useMutation({
    mutationFn: () => unwrap(api.POST('/me/notifications/read-all')),
    onSuccess: refresh,
  });
  if (!session.ready) return <p role="status">Checking your sign-in…</p>;
  if (!session.me) return <Navigate to="/sign-in?returnTo=/account/notifications" replace />;
  return (
    <>
      <h1>Your messages</h1>
      <p>
        We send a message when something needs you or has happened to your work. Messages link to the page
        they are about and never include its details. You can choose whether we also email you in{' '}
        <Link to="/account">your account</Link>.
      </p>
      {(read.error ?? readAll.error) && <RefusalSummary error={read.error ?? readAll.error} />}
      <QueryState query={inbox} what="Loading your messages">
        {(data) => (
          <>
            <p role="status">
              {data.unread === 0
                ? 'You have no unread messages.'
                : `You have ${data.unread} unread ${data.unread === 1 ? 'message' : 'messages'}.`}
            </p>
            {data.unread > 0 && (
              <Button secondary type="button" onClick={() => readAll.mutate()} disabled={readAll.isPending}>
                Mark all as read
              </Button>
            )}
            <NotificationList items={data.items} onRead={(id) => read.mutate(id)} />
            {data.total > PAGE_SIZE && (
              <nav className="nhsuk-pagination" role="navigation" aria-label="Pages of messages">
                <ul className="nhsuk-list nhsuk-pagination__list">
                  {page > 1 && (
                    <li className="nhsuk-pagination-item--previous">
                      <button type="button" className="nhsuk-link-style" onClick={() => setPage(page - 1)}>
                        Newer messages
                      </button>
                    </li>
                  )}
                  {page * PAGE_SIZE < data.total && (
                    <li className="nhsuk-pagination-item--next">
                      <button type="button" className="nhsuk-link-style" onClick={() => setPage(page + 1)}>
                        Older messages
                      </button>
                    </li>
                  )}
                </ul>
              </nav>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
