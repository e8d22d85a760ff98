import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, ResilientDataSource, withTimeout, type AppConfig } from '@tre/core';

/** Inside the orchestrator's 3 s probe timeout: a database slower than this to answer SELECT 1 is not ready. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Asks Postgres over a connection of its own, outside the request pool. Through the pool, a busy API's probe
 * waited behind every queued query: under load both APIs behind HAProxy failed their checks together and the
 * proxy answered 503 to everyone (seen in the scale-out benchmark), while the database was answering fine.
 * Readiness asks whether the database answers, not whether this API is busy; the balancer's own queue handles a
 * busy API. Probes arriving together share one round trip. Until the request pool itself has connected (an API
 * started while the database was away), the API is not ready whatever the probe finds.
 */
@Injectable()
export class PostgresHealthIndicator implements OnModuleDestroy {
  private client?: Client;
  private inFlight?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    if (this.dataSource instanceof ResilientDataSource && !this.dataSource.connectedToDatabase) {
      return indicator.down({
        message: this.dataSource.connectionFailure ?? 'not connected to the database yet',
      });
    }
    try {
      await (this.inFlight ??= this.ping().finally(() => (this.inFlight = undefined)));
      return indicator.up();
    } catch (error: unknown) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async ping(): Promise<void> {
    const client = await this.connection();
    try {
      await withTimeout(client.query('SELECT 1'), PROBE_TIMEOUT_MS);
    } catch (error: unknown) {
      // A connection that failed once is not trusted again: the next probe opens a new one.
      this.drop(client);
      throw error;
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
      statement_timeout: PROBE_TIMEOUT_MS,
      application_name: 'tre-readiness',
    });
    // A connection lost between probes is reported by the next probe, not thrown into the process.
    client.on('error', () => this.drop(client));
    try {
      await withTimeout(client.connect(), PROBE_TIMEOUT_MS);
    } catch (error: unknown) {
      this.drop(client);
      throw error;
    }
    this.client = client;
    return client;
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
