import { createHash } from 'node:crypto';
import type { VerifiedClaims } from './authenticated-user';

/**
 * Claims of tokens already verified, keyed by the SHA-256 of the whole token (the token itself is not kept):
 * a caller polling the API sends the same token many times a second, and checking its signature each time was
 * the guard's largest cost. An entry is served only until the token expires (its `exp`, or its `iat` plus the
 * longest age we accept, whichever comes first, with none of the verifier's clock tolerance) and never longer
 * than MAX_HOLD_MS, so a signing key withdrawn at the identity provider stops working here within that bound
 * as it would through the JWKS cache. Any change to the token is another key: a tampered token is verified.
 */
const MAX_HOLD_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly claims: VerifiedClaims;
  readonly until: number;
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(key: string): VerifiedClaims | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.claims;
  }

  /** `expiresAt` in ms since the epoch: the earliest moment the token stops being acceptable. */
  set(key: string, claims: VerifiedClaims, expiresAt: number): void {
    const until = Math.min(expiresAt, this.now() + MAX_HOLD_MS);
    if (until <= this.now()) return;
    // Oldest first: Map keeps insertion order, so a full cache drops the entry inserted longest ago.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { claims, until });
  }
}
