import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';

/** The role's pages need a signed-in person: anyone else goes to sign in, and comes back here after. */
export function RequireSignIn() {
  const session = useSession();
  const location = useLocation();
  if (!session.ready) return <p role="status">Checking your sign-in…</p>;
  if (!session.me) {
    const returnTo = encodeURIComponent(location.pathname.replace(/^\/app/, '') + location.search);
    return <Navigate to={`/sign-in?returnTo=${returnTo}`} replace />;
  }
  return <Outlet />;
}
