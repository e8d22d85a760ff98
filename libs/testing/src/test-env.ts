import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mintDevToken, type Role } from '@tre/auth';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestEnvironment {
  readonly database: TestDatabase;
  readonly queuePrefix: string;
  readonly devKeyFile: string;
  /** Mints a development token for a made-up person with these roles. */
  token(subject: string, roles: Role[]): Promise<string>;
  teardown(): Promise<void>;
}

/**
 * Gives one test file its own database, queue prefix and signing key, and points the configuration at
 * them, so files run in parallel against the real Postgres and Redis without seeing each other.
 */
export async function setUpTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const database = await createTestDatabase();
  const queuePrefix = `tre-test-${randomBytes(4).toString('hex')}`;
  const devKeyFile = join(mkdtempSync(join(tmpdir(), 'tre-test-')), 'dev-signing-key.json');
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    QUEUE_PREFIX: queuePrefix,
    DEV_KEY_FILE: devKeyFile,
    TRANSPARENCY_KEY_FILE: join(dirname(devKeyFile), 'transparency-signing.pem'),
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Workspace manifests of approved projects go to the test's own folder, never the user's.
    WORKSPACE_MANIFESTS_DIR: mkdtempSync(join(tmpdir(), 'tre-test-manifests-')),
    ...overrides,
  });
  return {
    database,
    queuePrefix,
    devKeyFile,
    token: (subject, roles) =>
      mintDevToken(devKeyFile, { subject, name: `Test ${subject}`, roles, expiresIn: '1h' }),
    teardown: () => database.drop(),
  };
}
