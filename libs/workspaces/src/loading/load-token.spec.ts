import { createHash } from 'node:crypto';
import { hashLoadToken, isLoadTokenShaped, loadFailureReason, newLoadToken } from './load-token';

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

describe('a load failure reason', () => {
  it('is one line, bounded, with anything token-like replaced and checksums kept', () => {
    const sha = 'ab12'.repeat(16);
    const text = `  a.csv does not match:\n expected sha256 ${sha}\n token ${newLoadToken()} Bearer xyz eyJa.eyJb.sig  `;
    expect(loadFailureReason(text)).toBe(
      `a.csv does not match: expected sha256 ${sha} token [redacted] Bearer [redacted] [redacted]`,
    );
    const long = loadFailureReason('x'.repeat(1000));
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});
