import type { Decision } from './api-client';

/**
 * The API's decisions by session token hash, reused for at most `ttlMs` (never more than 10 s by the settings);
 * a revocation drops the session's entry at once. Concurrent asks for one token share one API call.
 */
export class DecisionCache {
  private readonly entries = new Map<string, { decision: Promise<Decision>; at: number }>();

  constructor(private readonly ttlMs: number) {}

  get(tokenHash: string, ask: () => Promise<Decision>): Promise<Decision> {
    const now = Date.now();
    const entry = this.entries.get(tokenHash);
    if (entry && now - entry.at < this.ttlMs) return entry.decision;
    const decision = ask();
    this.entries.set(tokenHash, { decision, at: now });
    // A failed call is not remembered: the next request asks again.
    decision.catch(() => this.entries.delete(tokenHash));
    if (this.entries.size > 10_000) this.prune(now);
    return decision;
  }

  forget(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
