import { Link, Navigate } from 'react-router';
import { SummaryList } from 'nhsuk-react-components';
import { useSession } from '../../auth/session';
import { roleName } from '../../components/role-switch';
import { usePageTitle } from '../../hooks/use-page-title';
import { EmailSettings } from './email-settings';

/** Who is signed in, with which roles, acting in which one. */
export function AccountPage() {
  usePageTitle('Your account');
  const session = useSession();
  if (!session.ready) return <p role="status">Checking your sign-in…</p>;
  if (!session.me) return <Navigate to="/sign-in?returnTo=/account" replace />;
  return (
    <>
      <h1>Your account</h1>
      <SummaryList>
        <SummaryList.Row>
          <SummaryList.Key>Name</SummaryList.Key>
          <SummaryList.Value>{session.me.name}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Roles</SummaryList.Key>
          <SummaryList.Value>{session.me.roles.map(roleName).join(', ') || 'None'}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Acting as</SummaryList.Key>
          <SummaryList.Value>
            {session.activeRole ? roleName(session.activeRole) : 'No role'}
          </SummaryList.Value>
        </SummaryList.Row>
      </SummaryList>
      <p>
        <Link to="/account/notifications">Read your messages</Link>
      </p>
      <EmailSettings />
    </>
  );
}
