/** What the throttler guard needs back from a count (its ThrottlerStorageRecord). */
export interface RateCount {
  totalHits: number;
  /** Seconds until the window ends. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until the block ends. */
  timeToBlockExpire: number;
}

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

const PRUNE_ABOVE = 10_000;
const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/** The same fixed window and block as the Redis script, in one process's memory (the fallback). */
export class LocalRateCounter {
  private readonly windows = new Map<string, Window>();

  increment(key: string, ttl: number, limit: number, blockDuration: number, now = Date.now()): RateCount {
    if (this.windows.size > PRUNE_ABOVE) this.prune(now);
    let window = this.windows.get(key);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    } else if (window.endsAt <= now) {
      window.hits = 0;
      window.endsAt = now + ttl;
    }
    window.hits += 1;
    if (window.blockedUntil > now) {
      return this.count(window, now, true);
    }
    if (window.hits > limit) {
      window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
      return this.count(window, now, true);
    }
    return this.count(window, now, false);
  }

  private count(window: Window, now: number, isBlocked: boolean): RateCount {
    return {
      totalHits: window.hits,
      timeToExpire: seconds(window.endsAt - now),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(window.blockedUntil - now) : 0,
    };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}
