import { hash } from 'node:crypto';

/**
 * Claims of tokens already verified, keyed by the SHA-256 of the whole token (the token itself is not kept):
 * a caller polling the API sends the same token many times a second, and checking its signature each time was
 * the guard's largest cost. An entry is served only until the token expires (its `exp`, or its `iat` plus the
 * longest age we accept, whichever comes first, with none of the verifier's clock tolerance) and never longer
 * than MAX_HOLD_MS, so a signing key withdrawn at the identity provider stops working here within that bound
 * as it would through the JWKS cache (and TokenVerifier serves an entry only while the key it was verified with
 * is still the key set's). Any change to the token is another key: a tampered token is verified.
 */
const MAX_HOLD_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly verified: T;
  readonly until: number;
}

export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  static keyOf(token: string): string {
    // The one-shot hash: no Hash object made and thrown away on every request.
    return hash('sha256', token, 'base64');
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.verified;
  }

  /** Forgets an entry (its key is no longer the key set's). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** `expiresAt` in ms since the epoch: the earliest moment the token stops being acceptable. */
  set(key: string, verified: T, expiresAt: number): void {
    const until = Math.min(expiresAt, this.now() + MAX_HOLD_MS);
    if (until <= this.now()) return;
    // Oldest first: Map keeps insertion order, so a full cache drops the entry inserted longest ago.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { verified, until });
  }
}
