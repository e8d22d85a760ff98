import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './ensure-database';

export interface MigrationReport {
  readonly createdDatabase: boolean;
  readonly applied: string[];
}

/** Creates the database if missing and applies every pending migration, each in its own transaction. */
export async function migrate(databaseUrl: string): Promise<MigrationReport> {
  const createdDatabase = await ensureDatabase(databaseUrl);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { createdDatabase, applied: applied.map((migration) => migration.name) };
  } finally {
    await dataSource.destroy();
  }
}
