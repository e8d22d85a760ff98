import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserManager } from 'oidc-client-ts';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { api, setAccessToken, type Schemas } from '../api/client';
import { ApiError, unwrap } from '../api/api-error';
import { SIGNED_IN_PATH } from './paths';

export type Role = Schemas['MeDto']['roles'][number];
export type Me = Schemas['MeDto'];

export interface Session {
  readonly mode: 'dev' | 'oidc' | null;
  /** False until the app knows whether someone is signed in (a silent renewal may be under way). */
  readonly ready: boolean;
  readonly me: Me | null;
  /** Why the last sign-in with the provider failed (its refusal, in words), or null. */
  readonly signInError: unknown;
  /** The role the pages act in: people with several roles switch between them. */
  readonly activeRole: Role | null;
  switchRole(role: Role): void;
  signInAsDemoPerson(subject: string): Promise<void>;
  signInWithProvider(returnTo?: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** A path inside the app (after its /app prefix); anything else (another site included) becomes /account. */
export const inAppPath = (value: unknown): string =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : '/account';

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const config = useQuery({
    queryKey: ['web-config'],
    queryFn: () => unwrap(api.GET('/web-config')),
    staleTime: Infinity,
  });
  const [me, setMe] = useState<Me | null>(null);
  const [activeRole, setActiveRole] = useState<Role | null>(null);
  // Under OIDC: false until the silent sign-in (or the return from the provider) has had its answer.
  const [oidcSettled, setOidcSettled] = useState(false);
  const [signInError, setSignInError] = useState<unknown>(null);
  const ready = config.isError || config.data?.authMode === 'dev' || oidcSettled;
  const manager = useRef<UserManager | null>(null);

  /** Takes a token, asks the API who it belongs to, and starts the session in the person's first role. */
  const adopt = useCallback(
    async (token: string) => {
      setAccessToken(token);
      const person = await unwrap(api.GET('/me'));
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'web-config' });
      setMe(person);
      setActiveRole((current) =>
        current && person.roles.includes(current) ? current : (person.roles[0] ?? null),
      );
    },
    [queryClient],
  );

  const forget = useCallback(() => {
    setAccessToken(null);
    setMe(null);
    setActiveRole(null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'web-config' });
  }, [queryClient]);

  useEffect(() => {
    const oidc = config.data?.oidc;
    if (config.data?.authMode !== 'oidc' || !oidc) return;
    const onLoaded = (user: { access_token: string }) => void adopt(user.access_token).catch(forget);
    let cancelled = false;
    void (async () => {
      const { createUserManager } = await import('./oidc');
      if (cancelled) return;
      const users = (manager.current ??= createUserManager(oidc));
      // A renewed token replaces the one in memory; a session ended at the provider ends it here.
      users.events.addUserLoaded(onLoaded);
      users.events.addUserSignedOut(forget);
      try {
        if (window.location.pathname === SIGNED_IN_PATH) {
          const user = await users.signinRedirectCallback().catch((error: unknown) => {
            // The provider said no (or the answer does not match the request): say so on the page.
            throw new ApiError(
              401,
              'unauthenticated',
              `The identity provider did not sign you in: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
          await adopt(user.access_token);
          window.history.replaceState(null, '', `/app${inAppPath(user.state)}`);
          window.dispatchEvent(new PopStateEvent('popstate'));
        } else {
          // Tokens live in memory: after a reload, the provider's own session signs the person back in quietly.
          const user = await users.signinSilent().catch(() => null);
          if (user) await adopt(user.access_token);
        }
      } catch (error) {
        forget();
        setSignInError(error);
      } finally {
        setOidcSettled(true);
      }
    })();
    return () => {
      cancelled = true;
      manager.current?.events.removeUserLoaded(onLoaded);
      manager.current?.events.removeUserSignedOut(forget);
    };
  }, [config.data, adopt, forget]);

  const session = useMemo<Session>(
    () => ({
      mode: config.data?.authMode ?? null,
      ready,
      signInError,
      me,
      activeRole,
      switchRole: (role) => {
        if (me?.roles.includes(role)) setActiveRole(role);
      },
      signInAsDemoPerson: async (subject) => {
        const { token } = await unwrap(api.POST('/dev/sign-in', { body: { subject } }));
        await adopt(token);
        setSignInError(null);
      },
      signInWithProvider: async (returnTo) => {
        if (!manager.current) throw new Error('Sign-in with the identity provider is not configured');
        await manager.current.signinRedirect({ state: inAppPath(returnTo) });
      },
      signOut: async () => {
        forget();
        if (manager.current)
          await manager.current.signoutRedirect().catch(() => manager.current?.removeUser());
      },
    }),
    [config.data, ready, signInError, me, activeRole, adopt, forget],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
