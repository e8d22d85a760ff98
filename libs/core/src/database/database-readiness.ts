import { Client } from 'pg';

/** How long the start-up check waits for Postgres before leaving the question to the normal connection retries. */
const CHECK_TIMEOUT_MS = 5000;

/** The database exists and answers, but was never created or migrated: retrying cannot fix it, an operator must. */
export class DatabaseNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseNotReadyError';
  }
}

const WHAT_TO_RUN =
  'Run `npm run migrate` (or `tre migrate`; in Kubernetes the tre-migrate Job) with the same DATABASE_URL, then start again.';

function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

/**
 * Refuses to start an app on a database that does not exist or holds no schema, naming the command that fixes it.
 * Without this the connection retries on `database "tre" does not exist` and the app never says what is wrong.
 * Any other failure (Postgres down, refusing, slow) is left to the connection's own retries: it may pass.
 */
export async function assertDatabaseMigrated(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  // An error after connect (the server going away) must not crash the process: the query below reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error: unknown) {
    await client.end().catch(() => undefined);
    // 3D000 invalid_catalog_name: the server answers, the database is not there.
    if ((error as { code?: string }).code === '3D000') {
      throw new DatabaseNotReadyError(`database "${name}" does not exist. ${WHAT_TO_RUN}`);
    }
    return;
  }
  try {
    const found = await client.query<{ table: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS table",
    );
    if (found.rows[0]?.table === null) {
      throw new DatabaseNotReadyError(
        `database "${name}" has never been migrated (no schema). ${WHAT_TO_RUN}`,
      );
    }
  } catch (error: unknown) {
    if (error instanceof DatabaseNotReadyError) throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
