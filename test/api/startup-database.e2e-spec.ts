import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertDatabaseMigrated, DatabaseNotReadyError } from '@tre/core';
import {
  createTestDatabase,
  databaseUrl,
  runQueuePrefixStem,
  runTs,
  withAdminClient,
  type TestDatabase,
} from '@tre/testing';

/**
 * An app started on a database that was never created or migrated stops at once and says what to run, instead
 * of retrying a connection that cannot succeed.
 */
describe('start-up on a database that is not ready', () => {
  const missing = `tre_missing_${process.pid}`;
  const empty = `tre_empty_${process.pid}`;
  let migrated: TestDatabase;

  beforeAll(async () => {
    migrated = await createTestDatabase();
    await withAdminClient(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${empty}"`);
    });
  });
  afterAll(async () => {
    await withAdminClient(
      async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`)),
    );
    await migrated.drop();
  });

  /** A port nothing listens on. */
  async function unusedPort(): Promise<number> {
    const server: Server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as { port: number };
    await new Promise((closed) => server.close(closed));
    return port;
  }

  /** Starts an app's real main.ts on DATABASE_URL=url and answers how it ended. */
  async function start(app: 'api' | 'worker', url: string) {
    const port = String(await unusedPort());
    return runTs([`apps/${app}/src/main.ts`], {
      timeoutMs: 90_000,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: url,
        QUEUE_PREFIX: `${runQueuePrefixStem()}startup`,
        DEV_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-startup-')), 'dev-key.json'),
        PORT: port,
        WORKER_PORT: port,
      },
    });
  }

  it('the API names the missing database and the command that creates it, and exits 1 without retrying', async () => {
    const { code, stderr } = await start('api', databaseUrl(missing));
    expect(code).toBe(1);
    expect(stderr).toContain(`database "${missing}" does not exist. Run \`npm run migrate\``);
    expect(stderr).not.toMatch(/Retrying|\n\s+at /);
  }, 120_000);

  it('the worker says a database without a schema was never migrated, and exits 1', async () => {
    const { code, stderr } = await start('worker', databaseUrl(empty));
    expect(code).toBe(1);
    expect(stderr).toContain(
      `database "${empty}" has never been migrated (no schema). Run \`npm run migrate\``,
    );
    expect(stderr).not.toMatch(/Retrying|\n\s+at /);
  }, 120_000);

  it('passes a migrated database', async () => {
    await expect(assertDatabaseMigrated(migrated.url)).resolves.toBeUndefined();
  });

  it('refuses a missing or empty database with DatabaseNotReadyError', async () => {
    await expect(assertDatabaseMigrated(databaseUrl(missing))).rejects.toBeInstanceOf(DatabaseNotReadyError);
    await expect(assertDatabaseMigrated(databaseUrl(empty))).rejects.toBeInstanceOf(DatabaseNotReadyError);
  });

  it('leaves a server that does not answer to the connection retries (it may come back)', async () => {
    // Connection refused is not the operator's missing migration.
    const port = await unusedPort();
    await expect(
      assertDatabaseMigrated(`postgres://postgres@127.0.0.1:${port}/tre`),
    ).resolves.toBeUndefined();
  });
});
