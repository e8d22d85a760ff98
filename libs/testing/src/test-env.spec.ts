import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { withAdminClient } from './test-database';
import { setUpTestEnvironment } from './test-env';
import { runQueuePrefixStem, TEST_REDIS_URL } from './test-redis';

/** What a test file makes, its teardown removes: nothing of a run outlives it. */
describe('test environment clean-up', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.quit());

  const keysOf = async (prefix: string) => (await redis.keys(`${prefix}:*`)).length;

  it("the file's temporary folder is its own (jest-environment.ts), so whatever a test leaves there goes", () => {
    expect(basename(tmpdir())).toMatch(/^tre-jest-/);
    expect(existsSync(tmpdir())).toBe(true);
  });

  it("teardown drops the database, deletes the queue prefix's keys and removes the folders", async () => {
    const env = await setUpTestEnvironment();
    expect(env.queuePrefix.startsWith(runQueuePrefixStem())).toBe(true);
    const queue = new Queue('cleanup', { connection: { url: TEST_REDIS_URL }, prefix: env.queuePrefix });
    await queue.add('job', { id: 1 });
    await queue.close();
    const folders = [dirname(env.devKeyFile), process.env.WORKSPACE_MANIFESTS_DIR ?? ''];
    expect(await keysOf(env.queuePrefix)).toBeGreaterThan(0);
    expect(folders.every((folder) => existsSync(folder))).toBe(true);

    await env.teardown();

    expect(await keysOf(env.queuePrefix)).toBe(0);
    expect(folders.filter((folder) => existsSync(folder))).toEqual([]);
    const databases = await withAdminClient((client) =>
      client.query('SELECT 1 FROM pg_database WHERE datname = $1', [env.database.name]),
    );
    expect(databases.rowCount).toBe(0);
  });
});
