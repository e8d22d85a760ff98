import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';

/**
 * Where the identity provider sends the browser back. The session finishes the sign-in and moves on to the
 * page the person came from; if the provider refused, this page says why and offers to try again.
 */
export function SignedInPage() {
  const session = useSession();
  const failed = session.ready && !session.me && session.signInError !== null;
  usePageTitle(failed ? 'Sign-in failed' : 'Signing you in');
  if (!failed) return <p role="status">Signing you in…</p>;
  return (
    <>
      <h1>Sign-in failed</h1>
      <RefusalSummary error={session.signInError} />
      <p>
        <Link to="/sign-in">Try signing in again</Link>
      </p>
    </>
  );
}
