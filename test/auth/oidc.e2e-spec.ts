import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Production mode: tokens from an OIDC provider, verified against its JWKS endpoint with issuer, audience and
 * algorithm pinned. A local HTTP server plays the provider.
 */
describe('OIDC tokens', () => {
  let t: TestApp;
  let jwksServer: Server;
  let rsaKey: KeyLike;
  let ecKey: KeyLike;
  const issuer = 'https://id.test.example';

  const sign = (
    key: KeyLike,
    alg: string,
    kid: string,
    claims: Record<string, unknown> = {},
    audience = 'tre-api',
  ) =>
    new SignJWT({ name: 'Olive', realm_access: { roles: ['admin', 'not-a-role'] }, ...claims })
      .setProtectedHeader({ alg, kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('olive')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    rsaKey = rsa.privateKey;
    ecKey = ec.privateKey;
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwksServer = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
    );
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const port = (jwksServer.address() as AddressInfo).port;
    t = await startTestApp({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'tre-api',
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      OIDC_ROLES_CLAIM: 'realm_access.roles',
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  const me = (token: string) =>
    request(t.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);

  it.each([
    ['RS256', 'rsa-1'],
    ['ES256', 'ec-1'],
  ])('accepts a %s token from the provider and reads roles from the configured claim', async (alg, kid) => {
    const response = await me(await sign(alg === 'RS256' ? rsaKey : ecKey, alg, kid));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ subject: 'olive', name: 'Olive', roles: ['admin'] });
  });

  it('refuses a token for another audience, and one signed by a key the provider does not publish', async () => {
    expect((await me(await sign(rsaKey, 'RS256', 'rsa-1', {}, 'another-app'))).status).toBe(401);
    const stranger = await generateKeyPair('RS256');
    const forged = await me(await sign(stranger.privateKey, 'RS256', 'rsa-1'));
    expect(forged.status).toBe(401);
    expect(forged.body.message).toMatch(/signature/);
  });

  it('refuses an HS256 token even when it names a published key', async () => {
    const hmac = new TextEncoder().encode('a shared secret that an attacker picked');
    const token = await new SignJWT({ realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setIssuer(issuer)
      .setAudience('tre-api')
      .setSubject('eve')
      .setExpirationTime('5m')
      .sign(hmac);
    expect((await me(token)).status).toBe(401);
  });
});
