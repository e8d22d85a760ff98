import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/settings';
import { assertDatabaseMigrated } from './database-readiness';
import { dataSourceOptions } from './data-source-options';
import { ResilientDataSource } from './resilient-data-source';

/**
 * The TypeORM connection for an app; feature modules register their entities with forFeature. The app starts
 * whether or not Postgres answers yet (ResilientDataSource), and no query waits longer than the timeouts.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // A missing or never-migrated database stops the app at once with what to run; an unreachable one is
      // left to the data source, which starts without it and keeps trying.
      useFactory: async (config: AppConfig) => {
        await assertDatabaseMigrated(config.databaseUrl);
        return {
          ...dataSourceOptions(config.databaseUrl, {
            timeouts: {
              connectMs: config.databaseConnectTimeoutMs,
              statementMs: config.databaseStatementTimeoutMs,
            },
          }),
          autoLoadEntities: true,
          // Connection failures never reach Nest's retry (the data source retries them itself); what does is a
          // mistake in the entities, which no retry mends.
          retryAttempts: 0,
        };
      },
      dataSourceFactory: (options) => Promise.resolve(new ResilientDataSource(options!)),
    }),
  ],
})
export class DatabaseModule {}
