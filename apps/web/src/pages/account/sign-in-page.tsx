import { useQuery } from '@tanstack/react-query';
import { Button } from 'nhsuk-react-components';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { inAppPath, useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { roleName } from '../../components/role-switch';
import { usePageTitle } from '../../hooks/use-page-title';

/**
 * Sign in. With an identity provider (AUTH_MODE=oidc): one button to the provider. In development
 * (AUTH_MODE=dev): the demo's people, each with their roles, to sign in as with one click.
 */
export function SignInPage() {
  usePageTitle('Sign in');
  const session = useSession();
  const [params] = useSearchParams();
  // Where to go after signing in: a path in the app only (never another site).
  const returnTo = inAppPath(params.get('returnTo'));
  const [refusal, setRefusal] = useState<unknown>(null);

  if (!session.mode) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>Sign in</h1>
      {refusal !== null && <RefusalSummary error={refusal} />}
      {session.mode === 'oidc' ? (
        <>
          <p>Sign in with your organisation&apos;s account.</p>
          <Button onClick={() => void session.signInWithProvider(returnTo).catch(setRefusal)}>
            Sign in with your organisation
          </Button>
        </>
      ) : (
        <DemoPeople returnTo={returnTo} onRefused={setRefusal} />
      )}
    </>
  );
}

function DemoPeople({ returnTo, onRefused }: { returnTo: string; onRefused: (error: unknown) => void }) {
  const session = useSession();
  const navigate = useNavigate();
  const people = useQuery({ queryKey: ['dev', 'people'], queryFn: () => unwrap(api.GET('/dev/people')) });
  const signIn = async (subject: string) => {
    try {
      await session.signInAsDemoPerson(subject);
      await navigate(returnTo);
    } catch (error) {
      onRefused(error);
    }
  };
  return (
    <>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>Development sign-in
          </span>
        </h2>
        <p>
          This service runs with development sign-in (AUTH_MODE=dev): anyone can sign in as the demo&apos;s
          people. A service in production signs people in with their organisation&apos;s identity provider
          instead.
        </p>
      </div>
      <QueryState query={people} what="Loading the demo's people">
        {(list) => (
          <ul className="nhsuk-list nhsuk-list--border">
            {list.map((person) => (
              <li key={person.subject}>
                <Button
                  secondary
                  className="nhsuk-u-margin-bottom-1"
                  onClick={() => void signIn(person.subject)}
                >
                  Sign in as {person.name}
                </Button>
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {person.roles.map(roleName).join(', ')}
                </p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </>
  );
}
