import { DataSource } from 'typeorm';
import {
  databaseOutage,
  dataSourceOptions,
  MAX_PREPARED_STATEMENTS,
  preparedRows,
  preparedStatementCount,
} from '@tre/core';
import { createTestDatabase, type TestDatabase } from '@tre/testing';

/**
 * The hot reads run as named prepared statements on the service's pool: each connection parses a text once,
 * and Postgres keeps its plan. One connection here, so what that connection has prepared can be read back.
 */
describe('prepared reads', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const options = dataSourceOptions(database.url);
    dataSource = await new DataSource({
      ...options,
      extra: { ...(options.extra as object), max: 1 },
    }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const prepared = (): Promise<{ statement: string; generic_plans: string; custom_plans: string }[]> =>
    dataSource.query(
      `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql`,
    );

  it('answers as the same SQL does unprepared, with named parameters bound by position', async () => {
    const sql = `SELECT n, n * :factor::int AS scaled, :label::text AS label
                   FROM generate_series(1, :count::int) AS n ORDER BY n`;
    const rows = await preparedRows<{ n: number; scaled: number; label: string }>(dataSource, sql, {
      factor: 3,
      label: 'x',
      count: 3,
    });
    const direct: unknown[] = await dataSource.query(
      `SELECT n, n * $1::int AS scaled, $2::text AS label FROM generate_series(1, $3::int) AS n ORDER BY n`,
      [3, 'x', 3],
    );
    expect(rows).toEqual(direct);
    expect(rows).toEqual([
      { n: 1, scaled: 3, label: 'x' },
      { n: 2, scaled: 6, label: 'x' },
      { n: 3, scaled: 9, label: 'x' },
    ]);
  });

  it('parses a text once per connection and runs it again from the prepared statement', async () => {
    const sql = `SELECT count(*)::int AS n FROM pg_class WHERE relname = :name`;
    for (let i = 0; i < 8; i++) {
      const [row] = await preparedRows<{ n: number }>(dataSource, sql, { name: `nothing_${i}` });
      expect(row.n).toBe(0);
    }
    const mine = (await prepared()).filter((s) => s.statement.includes('FROM pg_class WHERE relname = $1'));
    // One statement, executed eight times: prepared once, not once a call.
    expect(mine).toHaveLength(1);
    expect(Number(mine[0].generic_plans) + Number(mine[0].custom_plans)).toBe(8);
  });

  it('stops naming new texts at the bound (a value written into a text cannot fill the server)', async () => {
    const before = preparedStatementCount();
    for (let k = 0; k < MAX_PREPARED_STATEMENTS - before + 5; k++) {
      const [row] = await preparedRows<{ k: number }>(dataSource, `SELECT ${k}::int + :zero::int AS k`, {
        zero: 0,
      });
      expect(row.k).toBe(k);
    }
    expect(preparedStatementCount()).toBe(MAX_PREPARED_STATEMENTS);
    expect((await prepared()).length).toBe(MAX_PREPARED_STATEMENTS);
  });

  it('fails as an outage (503) while the pool is not connected', async () => {
    const away = new DataSource(dataSourceOptions(database.url));
    const error = await preparedRows(away, 'SELECT 1').catch((e: unknown) => e);
    expect(databaseOutage(error)).toMatch(/not connected/);
  });
});
