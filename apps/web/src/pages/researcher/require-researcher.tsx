import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../../auth/session';

/**
 * The researcher's pages need a signed-in person: anyone else goes to sign in and comes back. Whether the
 * person may see a given project is the API's decision (a 403 or 404 shows in place), not this one's.
 */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session.ready) return <p role="status">Checking your sign-in…</p>;
  if (!session.me) {
    const back = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/sign-in?returnTo=${back}`} replace />;
  }
  return <>{children}</>;
}
