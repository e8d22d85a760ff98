import type { Decision } from './api-client';

interface Entry {
  decision: Promise<Decision>;
  /** When the call that made `decision` started: a decision is never used once older than the TTL from here. */
  at: number;
  /** Age (ms) past which a request served from the entry starts one refresh in the background. */
  refreshAfter: number;
  refreshing?: Promise<Decision>;
}

/**
 * The refresh starts somewhere between these shares of the TTL, drawn for each entry: sessions that began
 * together (a class logging in, a benchmark's 200) would otherwise all refresh in the same few milliseconds
 * every TTL, a burst of calls to the API that the requests of that moment queued behind.
 */
const REFRESH_FROM = 0.5;
const REFRESH_SPREAD = 0.3;

/**
 * The API's decisions by session token hash, reused for at most `ttlMs` (never more than 10 s by the settings);
 * a revocation drops the session's entry at once. Concurrent asks for one token share one API call.
 *
 * An entry in use is refreshed before it expires, in the background: otherwise every active session's next
 * request after the TTL waited for a round trip to the API, and the requests behind it queued too (when many
 * sessions began together, their entries expired together and the API's answers took hundreds of ms). A
 * request is still only ever admitted on a decision younger than the TTL: past it, it waits for the refresh.
 */
export class DecisionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  get(tokenHash: string, ask: () => Promise<Decision>): Promise<Decision> {
    const now = Date.now();
    const entry = this.entries.get(tokenHash);
    if (entry && now - entry.at < this.ttlMs) {
      if (!entry.refreshing && now - entry.at >= entry.refreshAfter) this.refresh(tokenHash, entry, ask);
      return entry.decision;
    }
    // Expired while a refresh is on its way: that call started within the TTL and is the newest answer.
    if (entry?.refreshing) return entry.refreshing;
    const decision = ask();
    const fresh: Entry = { decision, at: now, refreshAfter: this.refreshAfter() };
    this.entries.set(tokenHash, fresh);
    // A failed call is not remembered: the next request asks again.
    decision.catch(() => {
      if (this.entries.get(tokenHash) === fresh) this.entries.delete(tokenHash);
    });
    if (this.entries.size > 10_000) this.prune(now);
    return decision;
  }

  forget(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  private refresh(tokenHash: string, entry: Entry, ask: () => Promise<Decision>): void {
    const at = Date.now();
    const decision = ask();
    entry.refreshing = decision;
    decision.then(
      // Stored only if the entry is still the one refreshed: after forget() (a revocation) an answer that left
      // the API before it must not bring the session back.
      () => {
        if (this.entries.get(tokenHash) === entry)
          this.entries.set(tokenHash, { decision, at, refreshAfter: this.refreshAfter() });
      },
      () => {
        if (this.entries.get(tokenHash) !== entry) return;
        // Still within the TTL: keep the old decision and let a later request try again; past it, drop it.
        if (Date.now() - entry.at < this.ttlMs) entry.refreshing = undefined;
        else this.entries.delete(tokenHash);
      },
    );
  }

  private refreshAfter(): number {
    return this.ttlMs * (REFRESH_FROM + Math.random() * REFRESH_SPREAD);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
