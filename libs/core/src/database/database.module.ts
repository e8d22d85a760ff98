import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/settings';
import { assertDatabaseMigrated } from './database-readiness';
import { dataSourceOptions } from './data-source-options';

/** The TypeORM connection for an app; feature modules register their entities with forFeature. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // A missing or never-migrated database stops the app at once with what to run, instead of retrying.
      useFactory: async (config: AppConfig) => {
        await assertDatabaseMigrated(config.databaseUrl);
        return { ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true };
      },
    }),
  ],
})
export class DatabaseModule {}
