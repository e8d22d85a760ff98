import { Client } from 'pg';
import { CHANGE_CHANNEL, CHANGE_TRIGGER } from '@tre/core';
import { createTestDatabase, type TestDatabase } from '@tre/testing';

/** AFTER, FOR EACH STATEMENT, on INSERT, DELETE, UPDATE and TRUNCATE (pg_trigger.tgtype's bits 4|8|16|32). */
const EVERY_CHANGE_PER_STATEMENT = 60;

/**
 * The API's read cache keeps an answer until a table it read announces a change (see change-feed-trigger.ts).
 * Every table the migrations make must announce: a new table whose migration forgot `announceChanges` fails
 * here, before a cached route could read it and serve a stale answer.
 */
describe('the change feed triggers', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('are on every table but the migrations ledger, on every kind of change, once per statement', async () => {
    const { rows } = await client.query<{ table: string }>(
      `SELECT n.nspname || '.' || c.relname AS table
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND NOT (n.nspname = 'public' AND c.relname = 'schema_migrations')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                           WHERE t.tgrelid = c.oid AND t.tgname = $1 AND t.tgtype = $2
                             AND p.proname = 'tre_announce_change' AND t.tgenabled <> 'D')
        ORDER BY 1`,
      [CHANGE_TRIGGER, EVERY_CHANGE_PER_STATEMENT],
    );
    expect(rows.map((row) => row.table)).toEqual([]);
  });

  it('announce a committed change by table name, once per transaction, and nothing rolled back', async () => {
    const heard: string[] = [];
    const listener = new Client({ connectionString: database.url });
    await listener.connect();
    try {
      listener.on('notification', (message) => heard.push(message.payload ?? ''));
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
      await client.query('BEGIN');
      await client.query(`UPDATE datasets SET code = code`);
      await client.query(`DELETE FROM optouts.entries`);
      await client.query(`UPDATE datasets SET code = code`);
      await client.query('COMMIT');
      await client.query('BEGIN');
      await client.query(`TRUNCATE workspace_sessions CASCADE`);
      await client.query('ROLLBACK');
      await client.query(`TRUNCATE output_comments`);
      // A round trip on the listening session: Postgres delivers what is pending before its answer.
      await listener.query('SELECT 1');
      expect(heard).toEqual(['datasets', 'optouts.entries', 'output_comments']);
    } finally {
      await listener.end();
    }
  });
});
