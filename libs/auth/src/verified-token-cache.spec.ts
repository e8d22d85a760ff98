import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { loadConfig } from '@tre/core';
import { mintDevToken } from './dev-token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

const claims = { issuer: 'i', subject: 's', name: 'n', roles: [] };

describe('VerifiedTokenCache', () => {
  it('serves an entry until the token expires, not a moment longer', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now);
    cache.set('k', claims, now + 5_000);
    now += 4_999;
    expect(cache.get('k')).toBe(claims);
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('holds an entry at most a minute, however long the token lives', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now);
    cache.set('k', claims, now + 8 * 3600_000);
    now += 59_999;
    expect(cache.get('k')).toBe(claims);
    now += 1;
    expect(cache.get('k')).toBeUndefined();
  });

  it('keys by the whole token: a token changed in one character is another key', () => {
    expect(VerifiedTokenCache.keyOf('a.b.c')).not.toBe(VerifiedTokenCache.keyOf('a.b.d'));
  });
});

describe('TokenVerifier with its cache', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses a token it verified before once the token has expired', async () => {
    const devKeyFile = join(mkdtempSync(join(tmpdir(), 'tre-test-verifier-')), 'key.json');
    const verifier = new TokenVerifier(loadConfig({ NODE_ENV: 'test', DEV_KEY_FILE: devKeyFile }));
    const token = await mintDevToken(devKeyFile, { subject: 'ada', name: 'Ada', roles: [], expiresIn: '5s' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'ada' });
    // Past the verifier's 30 s clock tolerance, inside the cache's one-minute hold: only the expiry refuses it.
    jest.useFakeTimers({
      now: Date.now() + 40_000,
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
    await expect(verifier.verify(token)).rejects.toThrow('token has expired');
  });
});

describe('TokenVerifier with its cache, under OIDC', () => {
  const issuer = 'https://id.test.example';
  let server: Server;
  let published: JWK[] = [];

  beforeAll(async () => {
    server = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => jest.restoreAllMocks());

  const keyPair = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
  };
  const sign = (key: KeyLike, kid: string) =>
    new SignJWT({ name: 'Olive', roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(issuer)
      .setAudience('tre-api')
      .setSubject('olive')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);

  it('stops serving a token verified before once the provider has withdrawn its key', async () => {
    const [first, second] = [await keyPair('k1'), await keyPair('k2')];
    published = [first.jwk];
    const verifier = new TokenVerifier(
      loadConfig({
        NODE_ENV: 'test',
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: 'tre-api',
        OIDC_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      }),
    );
    const old = await sign(first.privateKey, 'k1');
    await expect(verifier.verify(old)).resolves.toMatchObject({ subject: 'olive' });
    await expect(verifier.verify(old)).resolves.toMatchObject({ subject: 'olive' });

    // The provider rotates: k1 withdrawn. Half a minute on (inside the cache's hold, past the key set's cooldown)
    // a token signed with k2 makes the verifier fetch the key set again.
    published = [second.jwk];
    const now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now + 31_000);
    await expect(verifier.verify(await sign(second.privateKey, 'k2'))).resolves.toMatchObject({
      subject: 'olive',
    });
    // The token verified with k1 is not served from the cache any more: it is verified again, and refused.
    await expect(verifier.verify(old)).rejects.toThrow('token was signed by an unknown key');
  });
});
