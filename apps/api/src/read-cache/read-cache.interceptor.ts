import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply as Response } from 'fastify';
import { finalize, from, map, mergeMap, of, type Observable } from 'rxjs';
import type { RequestWithUser } from '@tre/auth';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { CACHED_READ } from './cached-read.decorator';
import { ChangeFeed, type FeedSnapshot } from './change-feed';
import { ReadCacheMetrics } from './read-cache-metrics';
import { ReadCacheStore, type CachedAnswer } from './read-cache-store';

/** Bounds on what the cache holds: past either, the answers kept longest go first. */
const MAX_ENTRIES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How many runs of the same question a request waits for before it runs the handler itself. */
const MAX_JOINS = 3;

/**
 * The read cache of the routes marked @CachedRead. Runs after the guards, so authentication, roles and the
 * rate limit are decided on every request exactly as without it. An answer is served again only
 *  - to the same caller (user id and roles) for the same method and URL (path and query: all a cached
 *    handler reads from the request besides the caller),
 *  - while no table the route declared has changed since its handler started (the change feed's
 *    generations), the feed has been listening throughout, and every change committed before this request
 *    arrived has been received (`ChangeFeed.caughtUp`),
 *  - for at most API_READ_CACHE_SECONDS, for answers that change with the clock alone.
 * A person's write through this process (POST, PUT, PATCH, DELETE) drops everything once its handler is done,
 * before its answer is sent. Only 200 answers of JSON are kept, as the exact text sent; nothing in a served answer
 * (no header, no status) tells whether it came from the cache.
 */
@Injectable()
export class ReadCacheInterceptor implements NestInterceptor {
  private readonly store = new ReadCacheStore({ maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES });
  private readonly maxAgeMs: number;
  /** Keys whose handler is running now, settled when its answer has been sent (see `answerAndKeep`). */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly feed: ChangeFeed,
    private readonly metrics: ReadCacheMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxAgeMs = config.apiReadCacheSeconds * 1000;
    feed.onReset(() => this.flush('feed_reset'));
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.maxAgeMs === 0 || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    // A person's write drops everything here before its answer is sent (belt and braces: the round trip before
    // every hit already hears it). A machine's writes (the gateways' re-checks and activity reports, a second
    // each, the collectors' intake) are left to the change feed: flushing on them would empty the cache every
    // second while any workspace session is open.
    if (MUTATING.has(request.method))
      return request.user ? next.handle().pipe(finalize(() => this.flush('local_write'))) : next.handle();
    const tables = this.reflector.get<string[] | undefined>(CACHED_READ, context.getHandler());
    if (!tables || request.method !== 'GET') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    if (!this.feed.isListening) {
      this.metrics.bypasses.inc();
      return next.handle();
    }
    const key = keyOf(request);
    const kept = this.current(key);
    if (kept) return this.serveKept(key, kept, tables, response, next);
    return this.joinOrAnswer(key, tables, response, next, MAX_JOINS);
  }

  /**
   * The same question being answered now: its answer, once kept, is checked as any kept answer is (its snapshot
   * predates this request), so one handler run serves a burst instead of one run each. When that answer could
   * not be kept (a table changed, or it took longer than the age bound), the first of the waiters asks again and
   * the rest wait for it, a few times at most before each runs the handler itself.
   */
  private joinOrAnswer(
    key: string,
    tables: readonly string[],
    response: Response,
    next: CallHandler,
    joins: number,
  ): Observable<unknown> {
    const running = this.running.get(key);
    if (!running || joins === 0) return this.answerAndKeep(key, tables, response, next);
    return from(running).pipe(
      mergeMap(() => {
        const answered = this.current(key);
        return answered
          ? this.serveKept(key, answered, tables, response, next)
          : this.joinOrAnswer(key, tables, response, next, joins - 1);
      }),
    );
  }

  /** Kept and current as far as the notifications received say: waits for any still on their way first. */
  private serveKept(
    key: string,
    kept: CachedAnswer,
    tables: readonly string[],
    response: Response,
    next: CallHandler,
  ): Observable<unknown> {
    const waited = this.metrics.hitWaitSeconds.startTimer();
    return from(this.feed.caughtUp()).pipe(
      mergeMap((caughtUp) => {
        waited();
        if (!caughtUp || this.current(key) !== kept) return this.answerAndKeep(key, tables, response, next);
        this.metrics.hits.inc();
        void response.header('Content-Type', kept.contentType);
        return of(kept.body);
      }),
    );
  }

  /** The answer kept for `key` if it may still be served; a stale one is dropped. */
  private current(key: string): CachedAnswer | undefined {
    const kept = this.store.get(key);
    if (!kept) return undefined;
    if (Date.now() >= kept.expiresAt || !this.feed.unchangedSince(kept.snapshot, kept.tables)) {
      this.store.delete(key);
      this.metrics.invalidations.inc({ reason: 'table_changed' });
      return undefined;
    }
    return kept;
  }

  private answerAndKeep(
    key: string,
    tables: readonly string[],
    response: Response,
    next: CallHandler,
  ): Observable<unknown> {
    this.metrics.misses.inc();
    const timer = this.metrics.missSeconds.startTimer();
    const flushes = this.store.flushes;
    // Settled once the answer is sent (and kept, on 'finish', which comes first) or the request ends otherwise.
    const settled = new Promise<void>((resolve) =>
      response.raw.once('close', () => {
        timer();
        if (this.running.get(key) === settled) this.running.delete(key);
        resolve();
      }),
    );
    this.running.set(key, settled);
    // The snapshot is taken once every change committed before now has been heard (one round trip, shared),
    // then before the handler reads anything: a change committed while it runs moves a generation past it. Taken
    // at once, a write this very request made in its guard (a person's first sighting, audited) would be heard
    // only while the handler ran, and the answer would never be kept.
    return from(this.feed.caughtUp()).pipe(
      mergeMap(() => this.answer(key, tables, response, next, flushes, this.feed.snapshot(tables))),
    );
  }

  private answer(
    key: string,
    tables: readonly string[],
    response: Response,
    next: CallHandler,
    flushes: number,
    snapshot: FeedSnapshot,
  ): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (value === null || typeof value !== 'object') return value;
        // Serialised here, once, as the framework would, so the text kept is the text sent.
        const body = JSON.stringify(value);
        void response.header('Content-Type', JSON_CONTENT_TYPE);
        response.raw.once('finish', () => {
          if (response.statusCode !== 200 || !this.feed.unchangedSince(snapshot, tables)) return;
          const bytes = Buffer.byteLength(body);
          // Aged from when it was sent, not from when its handler started: the tables are covered by the snapshot
          // above whatever the age, and the clock's part (today's date) is as old as an uncached answer's when
          // it arrives; from the start, a busy database's slow answers would be kept already too old to serve.
          //
          // Each answer lives a random half to all of the age bound: answers kept in the same moment (a page's
          // polls, a burst after a write) would otherwise expire in the same moment too, and every caller's
          // handler would run at once, the queue behind them being the tail latency.
          const expiresAt = Date.now() + this.maxAgeMs * (1 - Math.random() / 2);
          const answer = {
            body,
            contentType: JSON_CONTENT_TYPE,
            tables,
            snapshot,
            flushes,
            expiresAt,
            bytes,
          };
          if (this.store.put(key, answer)) this.measureSize();
        });
        return body;
      }),
    );
  }

  private flush(reason: 'local_write' | 'feed_reset'): void {
    if (this.store.size > 0) this.metrics.invalidations.inc({ reason });
    this.store.flush();
    this.measureSize();
  }

  private measureSize(): void {
    this.metrics.entries.set(this.store.size);
    this.metrics.bytes.set(this.store.bytes);
  }
}

/** Method, URL as sent (path and query) and the caller: all a cached handler's answer may depend on. */
function keyOf(request: RequestWithUser): string {
  const user = request.user;
  const caller = user ? `${user.id}\u0000${[...user.roles].sort().join(',')}` : 'anonymous';
  return `${request.method} ${request.originalUrl}\u0000${caller}`;
}
