import { DataSource } from 'typeorm';
import {
  cachedRouteExamples,
  declaredRoutes,
  getAs,
  tablesDeclaredBy,
  type CachedRouteExample,
} from '../support/cached-route-examples';
import { captureSql, tablesOf, TABLES_SQL, type SqlCapture } from '../support/sql-capture';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Every @CachedRead route names every table its answer is read from: an answer is kept until one of the named
 * tables changes, so a table read but not named would leave it stale. The SQL each route sends is watched (the
 * `pg` client, so TypeORM and raw queries alike), on data that takes every branch the web app's pages take, and
 * a table it names that the declaration lacks fails here. A cached route must write nothing either.
 */
describe('the read cache declarations', () => {
  let t: TestApp;
  let sql: SqlCapture;
  let known: Set<string>;
  let examples: CachedRouteExample[];

  beforeAll(async () => {
    // The cache off: each request runs its handler, so its SQL is there to see.
    t = await startTestApp({ API_READ_CACHE_SECONDS: '0' });
    known = new Set(
      (await t.app.get(DataSource).query<{ name: string }[]>(TABLES_SQL)).map((row) => row.name),
    );
    examples = await cachedRouteExamples(t);
    sql = captureSql();
  });
  afterAll(async () => {
    sql?.stop();
    await t?.close();
  });

  it('has an example for every @CachedRead route, each naming tables that exist', () => {
    const cached = declaredRoutes(t);
    expect([...new Set(examples.map((e) => e.route))].sort()).toEqual(cached.map((r) => r.route).sort());
    // A misspelt name would never change: the answer would be kept until it aged out.
    expect(cached.flatMap((r) => r.tables).filter((table) => !known.has(table))).toEqual([]);
  });

  it('each route reads only the tables it names, and writes nothing', async () => {
    const undeclared: string[] = [];
    for (const example of examples) {
      // The first call signs the caller in (the guard's own SQL, which runs on every request, cached or not).
      expect((await getAs(t, example)).status).toBe(200);
      const response = await getAs(t, example);
      expect(response.status).toBe(200);
      const statements = sql.statementsOf(response.headers['x-request-id']);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((s) => /^\s*(INSERT|UPDATE|DELETE|TRUNCATE)\b/i.test(s))).toEqual([]);
      const declared = tablesDeclaredBy(t, example.route);
      for (const table of new Set(statements.flatMap((s) => tablesOf(s, known))))
        if (!declared.includes(table)) undeclared.push(`${example.route} (${example.url}) reads ${table}`);
    }
    expect(undeclared).toEqual([]);
  });
});
