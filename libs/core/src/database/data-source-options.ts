import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** How long the service waits on Postgres before it gives up and says so (see ResilientDataSource). */
export interface DatabaseTimeouts {
  /** A new connection, or a free one from a full pool. */
  readonly connectMs: number;
  /** One statement, cancelled by Postgres; the client itself gives up a second later (a silent database). */
  readonly statementMs: number;
}

/** The client's own limit past the server's: a database that accepts but never answers cannot cancel anything. */
export const READ_TIMEOUT_MARGIN_MS = 1_000;

/**
 * The one description of how the service talks to Postgres. Entities are registered by the feature modules
 * (TypeOrmModule.forFeature + autoLoadEntities), migrations are listed here, and schema sync is off
 * everywhere: the schema changes only through reviewed migrations. Migrations and the CLI pass no timeouts:
 * a migration may rightly run long.
 */
export function dataSourceOptions(
  databaseUrl: string,
  extra: Partial<Pick<DataSourceOptions, 'entities' | 'logging'>> & { timeouts?: DatabaseTimeouts } = {},
): DataSourceOptions {
  const timeouts = extra.timeouts;
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: extra.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: extra.logging ?? false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: 10,
      application_name: 'tre',
      // The service's statements are short reads and writes by index. Postgres's JIT compiler weighs a query by
      // the planner's cost, which the audit trail's seal subqueries inflate far past the truth: a 1 ms page of
      // events was compiled for half a second first (EXPLAIN ANALYZE on 1,000,000 events). Off for every session.
      options: '-c jit=off',
      ...(timeouts
        ? {
            connectionTimeoutMillis: timeouts.connectMs,
            statement_timeout: timeouts.statementMs,
            query_timeout: timeouts.statementMs + READ_TIMEOUT_MARGIN_MS,
            keepAlive: true,
          }
        : {}),
    },
  };
}
