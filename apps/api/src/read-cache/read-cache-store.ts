import type { FeedSnapshot } from './change-feed';

/** One answer as it was sent: the JSON text and its content type, with what it was built under. */
export interface CachedAnswer {
  readonly body: string;
  readonly contentType: string;
  readonly tables: readonly string[];
  readonly snapshot: FeedSnapshot;
  /** The store's flush count when the answer's handler started (see `ReadCacheStore.flushes`). */
  readonly flushes: number;
  /** When it stops being served (ms since the epoch): at most API_READ_CACHE_SECONDS after it was sent. */
  readonly expiresAt: number;
  readonly bytes: number;
}

export interface StoreLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/**
 * The answers kept, by key, bounded by an entry count and a total size: when full, the answer kept longest goes
 * first (a Map iterates in insertion order, and a key stored again moves to the end). Knows nothing of
 * freshness: the interceptor asks the change feed and the clock before serving.
 */
export class ReadCacheStore {
  private readonly entries = new Map<string, CachedAnswer>();
  private totalBytes = 0;
  private flushCount = 0;

  constructor(private readonly limits: StoreLimits) {}

  /**
   * How many times everything was dropped. An answer whose handler started before a flush may have read rows
   * from before the change that caused it, so it is not kept (`put` refuses it).
   */
  get flushes(): number {
    return this.flushCount;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Keeps `answer` unless a flush came after its handler started, or it alone exceeds the size bound. */
  put(key: string, answer: CachedAnswer): boolean {
    if (answer.flushes !== this.flushCount || answer.bytes > this.limits.maxBytes) return false;
    this.delete(key);
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.limits.maxEntries || this.totalBytes + answer.bytes > this.limits.maxBytes)
    ) {
      this.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, answer);
    this.totalBytes += answer.bytes;
    return true;
  }

  flush(): void {
    this.entries.clear();
    this.totalBytes = 0;
    this.flushCount += 1;
  }
}
