import type { Decision } from './api-client';

/** The API's fresh word on one session it had allowed (its /gateway/recheck answer). */
export interface Recheck {
  sessionId: string;
  allow: boolean;
  reason?: string;
}

interface Entry {
  decision: Promise<Decision>;
  /** `decision`'s answer once the API has given it (see `settled`). */
  answer?: Decision;
  /** When the call that vouches for `decision` started: a decision is never used once older than the TTL. */
  at: number;
  /** The session the API allowed, once it has answered; refreshes name it. */
  sessionId?: string;
  /** The last request served from this entry: only sessions in use are refreshed. */
  usedAt: number;
  refreshing: boolean;
  /** The call failed (at `at`): requests share the failure for FAILED_FOR_MS instead of asking again each. */
  failed?: boolean;
}

/** A decision in use is re-checked once it is this share of the TTL old. */
const REFRESH_FROM = 0.5;
/** Session ids per re-check call (the API takes at most 5,000). */
const BATCH = 1000;
/**
 * How long a failed call's answer stands (never longer than the TTL): every request of the session in that
 * time is refused (fail closed) without a call of its own. Asking again on every request turned an API slowed
 * by load into one flooded by it: under a busy machine one run saw 1,687 decision calls in 6 s, most of them
 * the same 200 sessions asking again after a timeout, each timeout making the next more likely.
 */
export const FAILED_FOR_MS = 1000;

/**
 * The API's decisions by session token hash, reused for at most `ttlMs` (never more than 10 s by the settings);
 * a revocation drops the session's entry at once. Concurrent asks for one token share one API call.
 *
 * Entries in use are kept fresh by `refreshDue()`, which the gateway calls on a timer (`tickMs`): one call to
 * the API re-checks every session whose decision is at least half the TTL old, against live state, as asking
 * for each one does. It replaced a refresh per session started from the request path, which cost every
 * active session an API call every 5 to 8 s (200 sessions: some 30 calls a second, each a request to the API
 * and four reads there, competing for the CPU with the traffic being proxied) and put the call's set-up on
 * the request that happened to start it. A request is still only ever admitted on a decision younger than the
 * TTL: past it, it waits for a new decision.
 */
export class DecisionCache {
  /** How often the gateway should call refreshDue(). */
  readonly tickMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly recheck: (sessionIds: string[]) => Promise<Recheck[]> = () => Promise.resolve([]),
    /** A session the API now refuses: its entry is gone; the gateway cuts its connections. */
    private readonly onRefused: (sessionId: string, reason: string) => void = () => undefined,
  ) {
    // Ten chances within the TTL, so a re-check starts between half and six tenths of it.
    this.tickMs = Math.max(100, Math.min(1000, ttlMs / 10));
  }

  get(tokenHash: string, ask: () => Promise<Decision>): Promise<Decision> {
    const now = Date.now();
    const entry = this.entries.get(tokenHash);
    if (entry && now - entry.at < (entry.failed ? Math.min(FAILED_FOR_MS, this.ttlMs) : this.ttlMs)) {
      entry.usedAt = now;
      return entry.decision;
    }
    return this.ask(tokenHash, ask, now);
  }

  /**
   * The decision `get` would give, when it is already known: answered by the API and within the TTL (a failed
   * call, a call still in flight and an expired entry all give undefined: ask with `get`). Most requests of a
   * session are admitted on it without a promise or a turn of the microtask queue each.
   */
  settled(tokenHash: string): Decision | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry?.answer === undefined) return undefined;
    const now = Date.now();
    if (now - entry.at >= this.ttlMs) return undefined;
    entry.usedAt = now;
    return entry.answer;
  }

  private ask(tokenHash: string, ask: () => Promise<Decision>, now: number): Promise<Decision> {
    const decision = ask();
    const fresh: Entry = { decision, at: now, usedAt: now, refreshing: false };
    this.entries.set(tokenHash, fresh);
    decision.then(
      (answer) => {
        fresh.answer = answer;
        if (answer.allow) fresh.sessionId = answer.session.sessionId;
      },
      // A failed call is remembered only for FAILED_FOR_MS: then the next request asks again.
      () => {
        fresh.failed = true;
        fresh.at = Date.now();
      },
    );
    return decision;
  }

  forget(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  /**
   * Re-checks, in one call per thousand, every allowed session used since its decision and at least half the
   * TTL old; drops expired entries. A refused session's entry goes at once (and `onRefused` is told); a failed
   * call leaves the entries to age and be tried again on the next tick, and past the TTL they are not served.
   */
  async refreshDue(): Promise<void> {
    const now = Date.now();
    const due: [string, Entry][] = [];
    for (const [tokenHash, entry] of this.entries) {
      const age = now - entry.at;
      if (age >= this.ttlMs) this.entries.delete(tokenHash);
      else if (
        entry.sessionId &&
        !entry.refreshing &&
        age >= this.ttlMs * REFRESH_FROM &&
        entry.usedAt > entry.at
      )
        due.push([tokenHash, entry]);
    }
    const batches = [];
    for (let start = 0; start < due.length; start += BATCH)
      batches.push(this.refreshBatch(due.slice(start, start + BATCH), now));
    await Promise.all(batches);
  }

  private async refreshBatch(batch: [string, Entry][], at: number): Promise<void> {
    for (const [, entry] of batch) entry.refreshing = true;
    let answers: Map<string, Recheck>;
    try {
      answers = new Map(
        (await this.recheck(batch.map(([, e]) => e.sessionId!))).map((r) => [r.sessionId, r]),
      );
    } catch {
      answers = new Map();
    }
    for (const [tokenHash, entry] of batch) {
      entry.refreshing = false;
      // After forget() (a revocation) or a newer decision, an answer that left the API before it counts for
      // nothing: it must not bring the session back.
      if (this.entries.get(tokenHash) !== entry) continue;
      const answer = answers.get(entry.sessionId!);
      if (!answer) continue;
      if (answer.allow) {
        entry.at = at;
      } else {
        this.entries.delete(tokenHash);
        this.onRefused(answer.sessionId, answer.reason ?? 'denied');
      }
    }
  }
}
