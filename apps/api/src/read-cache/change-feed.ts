import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, CHANGE_CHANNEL, withTimeout, type AppConfig } from '@tre/core';

/** What a cached answer was built under: the feed's connection and each table's count of changes. */
export interface FeedSnapshot {
  readonly epoch: number;
  readonly generations: readonly number[];
}

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

/**
 * The committed changes to Postgres tables, as the `tre_changes` triggers announce them (see
 * change-feed-trigger.ts), on one connection of its own (LISTEN needs a session; TypeORM's pool hands its
 * connections round). Each table has a generation, bumped by every announcement of it: an answer built
 * under a snapshot of its tables' generations is current while none has moved.
 *
 * A notification sent while the connection is down is lost, so nothing built or kept across a loss counts:
 * every loss and every reconnection starts a new epoch, and the cache drops everything (`onReset`) and is
 * bypassed until the connection listens again.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly generations = new Map<string, number>();
  private readonly resetListeners: (() => void)[] = [];
  private client: Client | undefined;
  private listening = false;
  private epoch = 0;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private gathering: Promise<boolean> | undefined;
  private inFlight: Promise<boolean> | undefined;
  private queued: Promise<boolean> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    // No cache, no listener: the connection is only worth its cost to a cache that reads it.
    if (this.config.apiReadCacheSeconds === 0) return;
    // Not awaited: a database that is slow to answer delays the cache (requests bypass it meanwhile), never
    // the API's start.
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.lose();
    await client?.end().catch(() => undefined);
  }

  /** True while notifications are being received: only then may an answer be kept or served. */
  get isListening(): boolean {
    return this.listening;
  }

  /** Called with every loss or re-establishment of the connection: everything kept must go. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  snapshot(tables: readonly string[]): FeedSnapshot {
    return { epoch: this.epoch, generations: tables.map((table) => this.generations.get(table) ?? 0) };
  }

  /** Whether nothing announced since `snapshot` touched `tables` (the same tables, in the same order). */
  unchangedSince(snapshot: FeedSnapshot, tables: readonly string[]): boolean {
    if (!this.listening || snapshot.epoch !== this.epoch) return false;
    return tables.every((table, i) => (this.generations.get(table) ?? 0) === snapshot.generations[i]);
  }

  /**
   * Resolves true once every change committed before the call has been received (false when the connection
   * is down or was lost meanwhile). Postgres hands a listening session its pending notifications before
   * the answer to its next statement, so a round trip on this connection that starts after the call is the
   * proof. The round trip is sent once the event loop's current turn is done, so every call made in that turn
   * (the cache hits of one batch of requests read from the sockets) shares it; calls arriving while one is on
   * its way share the next (it may have been sent before their change committed). A burst of hits costs one or
   * two round trips, not one each.
   */
  caughtUp(): Promise<boolean> {
    if (this.gathering) return this.gathering;
    if (!this.inFlight) return this.gather();
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.caughtUp();
    });
    return this.queued;
  }

  /** A round trip sent when this turn of the event loop ends, shared by every call until then. */
  private gather(): Promise<boolean> {
    const trip = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.gathering = undefined;
      return this.roundTrip();
    });
    this.gathering = trip;
    this.inFlight = trip.finally(() => (this.inFlight = undefined));
    return trip;
  }

  private async roundTrip(): Promise<boolean> {
    const client = this.client;
    const epoch = this.epoch;
    if (!client || !this.listening) return false;
    try {
      // A database that does not answer is given up as the service gives up a statement: a hit waits no
      // longer than a miss would before its 503.
      // The empty statement: Postgres answers it with no row to describe or parse, and hands the pending
      // notifications over before its answer as before any other.
      await withTimeout(client.query(''), this.config.databaseStatementTimeoutMs);
    } catch (error: unknown) {
      this.dropConnection(client, error);
      return false;
    }
    return this.listening && this.epoch === epoch;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'tre-change-feed',
      keepAlive: true,
      connectionTimeoutMillis: this.config.databaseConnectTimeoutMs,
    });
    client.on('notification', (message) => {
      if (client === this.client && message.payload) this.bump(message.payload);
    });
    client.on('error', (error) => this.dropConnection(client, error));
    client.on('end', () => this.dropConnection(client, new Error('connection closed')));
    this.client = client;
    try {
      await client.connect();
      await withTimeout(client.query(`LISTEN ${CHANGE_CHANNEL}`), this.config.databaseStatementTimeoutMs);
    } catch (error: unknown) {
      this.dropConnection(client, error);
      return;
    }
    if (client !== this.client || this.stopped) return;
    // Whatever changed while nobody listened is unknown: a new epoch, and everything kept before it goes.
    this.startEpoch();
    this.listening = true;
    this.retryMs = FIRST_RETRY_MS;
    this.logger.log('Listening for committed changes: the read cache is on');
  }

  private bump(table: string): void {
    this.generations.set(table, (this.generations.get(table) ?? 0) + 1);
  }

  /** Stops trusting `client` (once) and tries again after a growing pause. */
  private dropConnection(client: Client, error: unknown): void {
    if (client !== this.client) return;
    const wasListening = this.listening;
    this.lose();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    if (wasListening)
      this.logger.warn(
        `The change feed stopped (${String(error)}): the read cache is bypassed until it is back`,
      );
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
  }

  private lose(): void {
    this.client = undefined;
    this.listening = false;
    this.startEpoch();
  }

  private startEpoch(): void {
    this.epoch += 1;
    for (const listener of this.resetListeners) listener();
  }
}
