import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tre/core';
import { createTestDatabase, type TestDatabase } from '@tre/testing';
import { ALL_ENTITIES } from '../../apps/cli/src/db/entities';

/**
 * The entities and the migrations describe one schema: on a migrated database, TypeORM's schema builder finds
 * nothing to change. A difference means the next generated migration would carry an unrelated change (it once
 * would have dropped two read-path indexes), so it is caught here, where it is made.
 */
describe('the schema the migrations build', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(
      dataSourceOptions(database.url, { entities: ALL_ENTITIES }),
    ).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query.trim())).toEqual([]);
  });
});
