import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import type { CapturedLogs } from './captured-logs';

export interface TestApp {
  readonly app: INestApplication;
  readonly env: TestEnvironment;
  close(): Promise<void>;
}

/**
 * The whole API, configured exactly as main.ts does, on this file's own database and queue prefix; its logs
 * are dropped, or kept in `options.logs`.
 */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: { logs?: CapturedLogs } = {},
): Promise<TestApp> {
  const env = await setUpTestEnvironment(overrides);
  let app: INestApplication;
  try {
    const builder = Test.createTestingModule({ imports: [AppModule] });
    const moduleRef = await (options.logs ? options.logs.into(builder) : builder).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: false }));
    options.logs?.use(app);
    await app.init();
  } catch (error: unknown) {
    // An app that refuses to start (a test of start-up checks) leaves no database behind.
    await env.teardown();
    throw error;
  }
  return {
    app,
    env,
    close: async () => {
      await app.close();
      await env.teardown();
    },
  };
}
