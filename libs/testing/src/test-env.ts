import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mintDevToken, type Role } from '@tre/auth';
import { createTestDatabase, type TestDatabase } from './test-database';
import { deleteRedisKeys, runQueuePrefixStem, TEST_REDIS_URL } from './test-redis';

export interface TestEnvironment {
  readonly database: TestDatabase;
  readonly queuePrefix: string;
  readonly devKeyFile: string;
  /** Mints a development token for a made-up person with these roles (and an `email` claim when given). */
  token(subject: string, roles: Role[], email?: string): Promise<string>;
  /** Drops the database, deletes the queue prefix's keys from Redis and removes the folders made here. */
  teardown(): Promise<void>;
}

/**
 * Gives one test file its own database, queue prefix and signing key, and points the configuration at
 * them, so files run in parallel against the real Postgres and Redis without seeing each other.
 */
export async function setUpTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const database = await createTestDatabase();
  const queuePrefix = `${runQueuePrefixStem()}${randomBytes(4).toString('hex')}`;
  const redisUrl = overrides.REDIS_URL ?? process.env.REDIS_URL ?? TEST_REDIS_URL;
  const keyDir = mkdtempSync(join(tmpdir(), 'tre-test-'));
  const manifestsDir = mkdtempSync(join(tmpdir(), 'tre-test-manifests-'));
  const localOutputsDir = mkdtempSync(join(tmpdir(), 'tre-test-local-outputs-'));
  const devKeyFile = join(keyDir, 'dev-signing-key.json');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    QUEUE_PREFIX: queuePrefix,
    DEV_KEY_FILE: devKeyFile,
    TRANSPARENCY_KEY_FILE: join(dirname(devKeyFile), 'transparency-signing.pem'),
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Up to eight suites share two cores here: the production timeouts (a few seconds) would fail slow but
    // healthy statements. The outage tests set their own, short ones.
    DATABASE_CONNECT_TIMEOUT_MS: '15000',
    DATABASE_STATEMENT_TIMEOUT_MS: '30000',
    REDIS_COMMAND_TIMEOUT_MS: '5000',
    // Workspace manifests of approved projects go to the test's own folder, never the user's.
    WORKSPACE_MANIFESTS_DIR: manifestsDir,
    // Each workspace's stand-in outputs folder (no cluster attached), the test's own.
    WORKSPACE_LOCAL_OUTPUTS_DIR: localOutputsDir,
    ...overrides,
  });
  return {
    database,
    queuePrefix,
    devKeyFile,
    token: (subject, roles, email) =>
      mintDevToken(devKeyFile, { subject, name: `Test ${subject}`, roles, email, expiresIn: '1h' }),
    teardown: async () => {
      await database.drop();
      await deleteRedisKeys(`${queuePrefix}:*`, redisUrl);
      for (const dir of [keyDir, manifestsDir, localOutputsDir])
        rmSync(dir, { recursive: true, force: true });
    },
  };
}
