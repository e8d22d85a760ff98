import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;

/**
 * A DataSource that lets its app start while Postgres is away and connects as soon as it can.
 *
 * TypeORM's own `initialize()` needs a live database; Nest retries it, then gives up and the app exits, so an
 * API started before its database never serves `/health`. Here the entity metadata is built first (it needs no
 * connection), the data source counts as initialised, and the pool is created by a loop that keeps trying in
 * the background. Until it succeeds every query fails at once with TypeORM's "Driver not Connected", which the
 * API reports as 503 (see databaseOutage), and readiness stays false.
 */
export class ResilientDataSource extends DataSource {
  private readonly outageLog = new Logger('Database');
  private connecting?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private connected = false;
  private lastFailure?: string;

  /** True once the pool exists and the first connection answered. */
  get connectedToDatabase(): boolean {
    return this.connected;
  }

  /** Why the last attempt to connect failed, while it is not connected. */
  get connectionFailure(): string | undefined {
    return this.connected ? undefined : this.lastFailure;
  }

  override async initialize(): Promise<this> {
    await this.buildMetadatas();
    // TypeORM marks itself initialised the same way; repositories and the health check need it set.
    Object.assign(this, { isInitialized: true });
    await this.connectOnce(RETRY_MIN_MS);
    return this;
  }

  /** Resolves when connected (tests and start-up tasks that must wait for the database). */
  async waitUntilConnected(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.connected) {
      if (Date.now() > deadline) {
        throw new Error(`database not connected after ${timeoutMs} ms: ${this.lastFailure ?? 'unknown'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  override async destroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.connecting?.catch(() => undefined);
    if (this.connected) {
      this.connected = false;
      await super.destroy();
    } else {
      Object.assign(this, { isInitialized: false });
    }
  }

  private connectOnce(delayMs: number): Promise<void> {
    this.connecting = this.openPool().then(
      () => undefined,
      (error: unknown) => {
        this.lastFailure = error instanceof Error ? error.message : String(error);
        if (this.stopped) return;
        this.outageLog.warn(`Database not reachable (${this.lastFailure}); retrying in ${delayMs} ms`);
        this.retry = setTimeout(() => void this.connectOnce(Math.min(delayMs * 2, RETRY_MAX_MS)), delayMs);
        // The loop alone never keeps a process alive: a server or worker has handles of its own, and a data
        // source that nothing will destroy (an app whose start-up failed) must not hold its process for ever.
        this.retry.unref();
      },
    );
    return this.connecting;
  }

  private async openPool(): Promise<void> {
    const driver = this.driver as PostgresDriver;
    try {
      await driver.connect();
      await driver.afterConnect();
    } catch (error: unknown) {
      // A pool that connected but then failed (the database went away again) is not kept half-open.
      const half = driver.master as Pool | undefined;
      driver.master = undefined;
      await half?.end().catch(() => undefined);
      throw error;
    }
    const pool = driver.master as Pool;
    if (this.stopped) {
      await pool.end();
      return;
    }
    pool.on('release', (_error: Error | undefined, client: PoolClient) => dropIfStuck(client));
    this.connected = true;
    if (this.lastFailure) this.outageLog.log('Database reachable again; connected');
  }
}

/**
 * A query the client gave up on (pg's query_timeout) is still owed an answer on its connection: back in the
 * pool, every later query on it would queue behind one that never ends. Such a connection is ended instead
 * (pg then destroys its socket), and the pool opens a fresh one when needed.
 */
function dropIfStuck(client: PoolClient): void {
  const pending = client as unknown as { _getActiveQuery?: () => unknown };
  if (pending._getActiveQuery?.()) void client.end().catch(() => undefined);
}
