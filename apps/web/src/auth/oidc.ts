import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { Schemas } from '../api/client';
import { SIGNED_IN_PATH, SILENT_RENEW_PATH } from './paths';

/**
 * The browser side of OIDC: authorization code with PKCE (oidc-client-ts does both), tokens in memory only
 * (a reload renews silently against the provider's session instead of reading a stored token), silent renewal
 * in a hidden frame before the access token expires, and sign-out at the provider. Loaded only under OIDC,
 * so development sign-in does not carry it.
 */
export function createUserManager(config: Schemas['WebOidcConfigDto']): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    scope: config.scope,
    response_type: 'code',
    redirect_uri: `${origin}${SIGNED_IN_PATH}`,
    silent_redirect_uri: `${origin}${SILENT_RENEW_PATH}`,
    post_logout_redirect_uri: `${origin}/app/`,
    automaticSilentRenew: true,
    // Tokens in memory; only the short-lived state of a sign-in under way (PKCE verifier, return path) lives
    // in sessionStorage, because it must survive the round trip through the provider.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    loadUserInfo: false,
  });
}

/** In the hidden frame of a silent renewal: hands the provider's answer back to the page that opened it. */
export async function finishSilentRenewal(): Promise<void> {
  await new UserManager({ authority: '', client_id: '', redirect_uri: '' }).signinSilentCallback();
}
