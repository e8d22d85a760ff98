import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
