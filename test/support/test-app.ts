import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { API_APP_OPTIONS, configureApp } from '../../apps/api/src/bootstrap';
import { httpAdapter } from '../../apps/api/src/common/http-adapter';
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
    app = await readyApiApp(moduleRef, (made) => options.logs?.use(made));
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

const servedRoutesOf = new WeakMap<INestApplication, readonly string[]>();

/**
 * Every route the HTTP server itself registered, as `GET /projects/:id` (the framework's own HEAD for each GET
 * included): what it serves, whatever the controllers' metadata says.
 */
export function servedRoutes(app: INestApplication): readonly string[] {
  const served = servedRoutesOf.get(app);
  if (!served) throw new Error('servedRoutes: an app not made by readyApiApp');
  return served;
}

/**
 * The API of a compiled testing module, made and configured as main.ts makes it, initialised and ready to take
 * requests (supertest's `app.getHttpServer()`); `beforeInit` sees it configured, before its modules start.
 */
export async function readyApiApp(
  moduleRef: TestingModule,
  beforeInit?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const config = moduleRef.get<AppConfig>(APP_CONFIG, { strict: false });
  const app = configureApp(
    moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(config), {
      ...API_APP_OPTIONS,
      logger: false,
    }),
  );
  const served: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) served.push(`${method} ${route.url}`);
    });
  servedRoutesOf.set(app, served);
  beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
