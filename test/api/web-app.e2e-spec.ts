import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/** A stand-in for `npm run build`'s dist/web: the page and one hashed script. */
// The page's inline script (the early data request, in the real build), allowed by its hash and by nothing else.
const INLINE = 'window.early = fetch("/register");';
const INLINE_HASH = `'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`;

/** A file beside the app's folder, which no path under /app may reach. */
const OUTSIDE = 'outside.txt';

function builtWebApp(): string {
  const parent = mkdtempSync(join(tmpdir(), 'tre-web-'));
  writeFileSync(join(parent, OUTSIDE), 'not the app');
  const dir = join(parent, 'web');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><title>TRE</title><script>${INLINE}</script>` +
      '<script type="module" src="/app/assets/index-abc123.js"></script><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  return dir;
}

describe('the web app, served by the API under /app', () => {
  let t: TestApp;
  const get = (path: string) => request(t.app.getHttpServer()).get(path);

  beforeAll(async () => {
    t = await startTestApp({ WEB_APP_DIR: builtWebApp() });
  });
  afterAll(() => t.close());

  it('leads / to the app, and answers every page path under /app with the page (its router shows the page)', async () => {
    const home = await get('/');
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe('/app/');
    for (const path of ['/app', '/app/', '/app/register', '/app/register/3f2c/x']) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers['cache-control']).toBe('no-cache');
      // helmet's policy: scripts only from this origin, and the page's own inline script by its hash.
      const scriptSrc = page.headers['content-security-policy']
        .split(';')
        .filter((directive) => directive.startsWith('script-src '));
      expect(scriptSrc).toEqual([`script-src 'self' ${INLINE_HASH}`]);
    }
  });

  it('serves the hashed files for ever, and a missing file as 404 (not the page)', async () => {
    const script = await get('/app/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toContain('immutable');
    const missing = await get('/app/assets/index-gone.js');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/No file \/app\/assets\/index-gone.js/);
  });

  it("never serves a file outside the app's folder, however the path spells the way up", async () => {
    for (const path of [
      `/app/..%2F${OUTSIDE}`,
      `/app/%2e%2e/${OUTSIDE}`,
      `/app/assets/..%2F..%2F${OUTSIDE}`,
    ]) {
      const answer = await get(path);
      expect({ path, status: answer.status, text: answer.text }).toEqual({
        path,
        status: 404,
        text: expect.not.stringContaining('not the app'),
      });
      expect(answer.body.message).toMatch(/^No file \/app\//);
    }
  });

  it('leaves the API where it is: its routes are not swallowed by the app', async () => {
    expect((await get('/health')).status).toBe(200);
    expect((await get('/register')).body).toMatchObject({ items: [], total: 0 });
    expect((await get('/no-such-route')).status).toBe(404);
  });

  it('tells the app how sign-in works, and in development lists the demo people and signs one in', async () => {
    expect((await get('/web-config')).body).toEqual({ authMode: 'dev', oidc: null });
    const people = await get('/dev/people');
    expect(people.status).toBe(200);
    expect(people.body).toContainEqual({
      subject: 'demo-sam',
      name: 'Sam',
      roles: ['researcher', 'output_checker'],
    });
    const signIn = await request(t.app.getHttpServer()).post('/dev/sign-in').send({ subject: 'demo-sam' });
    expect(signIn.status).toBe(200);
    const me = await get('/me').set('Authorization', `Bearer ${signIn.body.token}`);
    expect(me.body).toMatchObject({ subject: 'demo-sam', roles: ['researcher', 'output_checker'] });
  });

  it('mints tokens only for the demo people, and says why otherwise', async () => {
    const stranger = await request(t.app.getHttpServer()).post('/dev/sign-in').send({ subject: 'mallory' });
    expect(stranger.status).toBe(404);
    expect(stranger.body.message).toBe('No demo person has the subject mallory');
    const roles = await request(t.app.getHttpServer())
      .post('/dev/sign-in')
      .send({ subject: 'demo-alice', roles: ['admin'] });
    expect(roles.status).toBe(400);
    expect(roles.body.details.fields.roles[0]).toMatch(/should not exist/);
  });
});

describe('the web app under OIDC', () => {
  let t: TestApp;
  const get = (path: string) => request(t.app.getHttpServer()).get(path);

  beforeAll(async () => {
    t = await startTestApp({
      WEB_APP_DIR: builtWebApp(),
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://login.example.org/realms/tre',
      OIDC_AUDIENCE: 'tre-api',
      OIDC_JWKS_URL: 'https://login.example.org/realms/tre/certs',
      WEB_OIDC_CLIENT_ID: 'tre-portal',
    });
  });
  afterAll(() => t.close());

  it('refuses development sign-in as if it did not exist: no list of people, no token', async () => {
    const people = await get('/dev/people');
    expect(people.status).toBe(404);
    expect(people.body.message).toBe('Development sign-in exists only when AUTH_MODE=dev');
    const signIn = await request(t.app.getHttpServer()).post('/dev/sign-in').send({ subject: 'demo-ada' });
    expect(signIn.status).toBe(404);
    expect(signIn.body).not.toHaveProperty('token');
  });

  it("gives the app the provider's details, and lets the page reach the provider and nothing else", async () => {
    expect((await get('/web-config')).body).toEqual({
      authMode: 'oidc',
      oidc: {
        issuer: 'https://login.example.org/realms/tre',
        clientId: 'tre-portal',
        scope: 'openid profile',
      },
    });
    const policy = (await get('/app/')).headers['content-security-policy'];
    expect(policy).toContain("connect-src 'self' https://login.example.org");
    expect(policy).toContain("frame-src 'self' https://login.example.org");
    // Plain http outside production: the provider's redirect back into the renewal frame must stay http.
    expect(policy).not.toContain('upgrade-insecure-requests');
  });
});
