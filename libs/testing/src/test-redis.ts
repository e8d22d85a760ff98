import Redis from 'ioredis';
import { ownerPid, templateDatabase } from './test-database';

/** The Redis tests use unless a test names another (its own private server). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The start of every queue prefix a test run gives out: `tre-test-<pid of the run>-`. The global teardown
 * sweeps what is left under it, so a run never deletes another run's keys, nor anything not made by tests.
 */
export function runQueuePrefixStem(): string {
  return `tre-test-${ownerPid(templateDatabase()) ?? process.pid}-`;
}

/**
 * Deletes the keys matching `pattern` (a SCAN MATCH glob naming this test's or this run's own prefix). A Redis
 * that does not answer (a test's private server already stopped) is skipped: there is nothing left to delete.
 */
export async function deleteRedisKeys(pattern: string, url: string = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch {
    return 0;
  }
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    // Returns once the connection is closed, so nothing of this call outlives it.
    const ended = new Promise((resolve) => redis.once('end', resolve));
    redis.disconnect();
    await ended;
  }
}
