import { createHash } from 'node:crypto';
import { hashLoadToken, isLoadTokenShaped, newLoadToken } from './load-token';

describe('load tokens', () => {
  it('are 256 random bits behind a recognisable prefix, never the same twice', () => {
    const tokens = Array.from({ length: 100 }, newLoadToken);
    expect(new Set(tokens).size).toBe(100);
    for (const token of tokens) {
      expect(isLoadTokenShaped(token)).toBe(true);
      expect(Buffer.from(token.slice('trel_'.length), 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as their SHA-256 only', () => {
    const token = newLoadToken();
    expect(hashLoadToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashLoadToken(token)).not.toContain(token.slice(5, 15));
  });

  it.each([
    '',
    'not-a-token',
    'eyJhbGciOiJFUzI1NiJ9.e30.sig',
    `trel_${'a'.repeat(42)}`,
    `trel_${'a'.repeat(43)}/`,
  ])('recognises %j as no load token', (candidate) => expect(isLoadTokenShaped(candidate)).toBe(false));
});
