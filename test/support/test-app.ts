import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';

export interface TestApp {
  readonly app: INestApplication;
  readonly env: TestEnvironment;
  close(): Promise<void>;
}

/** The whole API, configured exactly as main.ts does, on this file's own database and queue prefix. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const env = await setUpTestEnvironment(overrides);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: false }));
  await app.init();
  return {
    app,
    env,
    close: async () => {
      await app.close();
      await env.teardown();
    },
  };
}
