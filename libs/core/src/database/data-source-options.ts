import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * The one description of how the service talks to Postgres. Entities are registered by the feature modules
 * (TypeOrmModule.forFeature + autoLoadEntities), migrations are listed here, and schema sync is off
 * everywhere: the schema changes only through reviewed migrations.
 */
export function dataSourceOptions(
  databaseUrl: string,
  extra: Partial<Pick<DataSourceOptions, 'entities' | 'logging'>> = {},
): DataSourceOptions {
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
    extra: { max: 10, application_name: 'tre' },
  };
}
