import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
/**
 * Migrated once per test run by the jest global setup (which names it in the environment); every test file
 * copies it. Names carry the owning process id so a run can tell its leftovers from a concurrent run's.
 */
export const templateDatabaseName = (pid: number = process.pid): string => `tre_tpl_${pid}`;

export function templateDatabase(): string {
  const name = process.env.TRE_TEST_TEMPLATE_DB;
  if (!name)
    throw new Error('TRE_TEST_TEMPLATE_DB is unset: run tests through jest (its global setup makes it)');
  return name;
}

/** The process id embedded in a test database name, if any. */
export function ownerPid(name: string): number | undefined {
  const match = /^tre_(?:test|tpl)_(\d+)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

export function databaseUrl(name: string): string {
  return `${TEST_SERVER_URL}/${name}`;
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, fully migrated database for one test file, copied from the template (fast, and files never see
 * each other's rows, so jest can run them in parallel).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tre_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (client) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error: unknown) {
        // Two files copying the template at the same instant can briefly collide; wait and retry.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdminClient(
        async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
      ),
  };
}
