import type { Browser, BrowserContext, Page } from 'playwright-core';
import { reservedPort } from '../support/test-worker';
import { startOidcProvider, type RunningProvider } from '../support/oidc-provider';
import { startTestApp, type TestApp } from '../support/test-app';
import { assertWebAppBuilt, expectAccessible, launchChromium, screenshot } from '../support/web-browser';

// Access tokens live 75 s: oidc-client-ts renews a minute before expiry, so the renewal comes ~15 s in.
const ACCESS_TOKEN_SECONDS = 75;

jest.setTimeout(180_000);

/**
 * The production sign-in, in a real browser against a real OpenID provider (oidc-provider, run locally) and the
 * real API under AUTH_MODE=oidc: authorization code with PKCE, the provider's access token accepted by the API,
 * tokens held in memory only, silent renewal before expiry, sign-in restored after a reload from the provider's
 * session, and sign-out at the provider.
 */
describe('web app: OIDC sign-in against a real provider', () => {
  let provider: RunningProvider;
  let t: TestApp;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    assertWebAppBuilt();
    const reserved = await reservedPort();
    const port = reserved.port;
    apiUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      webOrigin: apiUrl,
      audience: 'tre-api',
      accessTokenSeconds: ACCESS_TOKEN_SECONDS,
    });
    t = await startTestApp({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: 'tre-api',
      OIDC_JWKS_URL: `${provider.issuer}/jwks`,
      OIDC_ALGORITHMS: 'RS256',
      WEB_OIDC_CLIENT_ID: 'tre-web',
    });
    await reserved.release();
    await t.app.listen(port, '127.0.0.1');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    if (process.env.DEBUG_WEB) {
      page.on('console', (m) => console.log('console', m.type(), m.text()));
      page.on('framenavigated', (f) => console.log('frame', f.url()));
      page.on('requestfailed', (r) => console.log('failed', r.url(), r.failure()?.errorText));
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.stop();
  });

  /** The bearer token of the next call the app makes to /me. */
  const nextMeToken = () =>
    page
      .waitForRequest((request) => new URL(request.url()).pathname === '/me', { timeout: 90_000 })
      .then((request) => request.headers().authorization?.replace(/^Bearer /, '') ?? '');

  it('signs in with code + PKCE at the provider; the API accepts its token; no token is stored', async () => {
    await page.goto(`${apiUrl}/app/sign-in`);
    const start = page.getByRole('button', { name: 'Sign in with your organisation' });
    await start.waitFor();
    await expectAccessible(page, 'the sign-in page under OIDC');

    const authorizeRequest = page.waitForRequest((request) =>
      request.url().startsWith(`${provider.issuer}/auth?`),
    );
    await start.click();
    // Authorization code with PKCE (S256), for the app's public client.
    const authorize = new URL((await authorizeRequest).url()).searchParams;
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('client_id')).toBe('tre-web');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.getByPlaceholder('Enter any login').fill('olive');
    await page.getByPlaceholder('and password').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const firstToken = nextMeToken();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(page.url()).toBe(`${apiUrl}/app/account`);
    await page.getByText('Researcher, Data access committee member').waitFor();
    const token = await firstToken;
    expect(token.split('.')).toHaveLength(3);
    // In memory only: neither storage holds the token.
    const stored = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(stored).not.toContain(token);
    await expectAccessible(page, 'the account page signed in through the provider');
    await screenshot(page, 'web-oidc-account');

    // Silent renewal: a new token arrives before the first expires, and the app uses it.
    const renewed = await nextMeToken();
    expect(renewed).not.toBe(token);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  });

  it('after a reload (memory gone), signs in again quietly from the provider session', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: /Olive/ }).waitFor();
  });

  it('signs out at the provider and comes back signed out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${apiUrl}/app/`);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    // The provider's session is over too: a reload does not sign anyone back in.
    await page.goto(`${apiUrl}/app/account`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});
