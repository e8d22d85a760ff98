import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/api-error';
import { useSession } from '../auth/session';

/** The signed-in person's unread messages, asked again each minute; undefined while unknown or signed out. */
export function useUnreadCount(): number | undefined {
  const session = useSession();
  const inbox = useQuery({
    // Under the inbox's key, so reading a message refreshes the count too.
    queryKey: ['me', 'notifications', 'unread'],
    queryFn: () => unwrap(api.GET('/me/notifications', { params: { query: { page: 1, pageSize: 1 } } })),
    enabled: Boolean(session.me),
    refetchInterval: 60_000,
  });
  return session.me ? inbox.data?.unread : undefined;
}
