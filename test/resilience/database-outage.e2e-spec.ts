import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { setUpTestEnvironment, startTcpProxy, type TcpProxy, type TestEnvironment } from '@tre/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { readyApiApp } from '../support/test-app';
import { eventually } from '../support/test-worker';

/**
 * The API with Postgres behind a proxy the test controls: refusing connections, accepting them and never
 * answering, and healing. Every answer comes within a few seconds; liveness holds; readiness says why not.
 */
describe('the API when the database misbehaves', () => {
  let env: TestEnvironment;
  let proxy: TcpProxy;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    env = await setUpTestEnvironment({
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    process.env.DATABASE_URL = proxy.url(env.database.url);
  });
  afterAll(async () => {
    await app?.close();
    await proxy.close();
    await env.teardown();
  });

  const startApi = async (): Promise<INestApplication> => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    return readyApiApp(moduleRef);
  };
  const http = () => request(app!.getHttpServer());
  const timed = async (path: string) => {
    const began = Date.now();
    const response = await http().get(path);
    return { response, ms: Date.now() - began };
  };
  const becomesReady = () =>
    eventually(
      async () => ((await http().get('/ready')).status === 200 ? true : undefined),
      15_000,
      'readiness',
    );

  it('starts while the database refuses connections, not ready, and becomes ready when it comes', async () => {
    await proxy.refuse();
    const began = Date.now();
    app = await startApi();
    expect(Date.now() - began).toBeLessThan(5_000);

    expect((await timed('/health')).response.status).toBe(200);
    const ready = await timed('/ready');
    expect(ready.response.status).toBe(503);
    expect(ready.response.body.details.postgres.status).toBe('down');
    expect(ready.response.body.details.redis.status).toBe('up');
    const read = await timed('/register');
    expect(read.response.status).toBe(503);
    expect(read.response.body).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/database/),
    });
    expect(read.response.headers['retry-after']).toBe('5');

    await proxy.heal();
    await becomesReady();
    expect((await http().get('/register')).status).toBe(200);
  }, 30_000);

  it('answers 503 with the reason within seconds while the database refuses, and recovers', async () => {
    expect((await http().get('/register')).status).toBe(200);
    await proxy.refuse();
    const read = await timed('/register');
    expect(read.response.status).toBe(503);
    expect(read.response.body.message).toMatch(/database is unavailable/);
    expect(read.ms).toBeLessThan(3_000);
    const live = await timed('/health');
    expect(live.response.status).toBe(200);
    expect(live.ms).toBeLessThan(500);
    expect((await http().get('/ready')).status).toBe(503);

    await proxy.heal();
    await becomesReady();
    expect((await http().get('/register')).status).toBe(200);
  }, 30_000);

  it('answers 503 within seconds when the database accepts but never answers, and recovers', async () => {
    expect((await http().get('/register')).status).toBe(200);
    await proxy.blackhole();
    // Pooled connections and new ones alike go silent.
    const reads = await Promise.all([timed('/register'), timed('/register'), timed('/register')]);
    for (const read of reads) {
      expect(read.response.status).toBe(503);
      expect(read.response.body.code).toBe('unavailable');
      expect(read.ms).toBeLessThan(4_000);
    }
    const live = await timed('/health');
    expect(live.response.status).toBe(200);
    expect(live.ms).toBeLessThan(500);
    const ready = await timed('/ready');
    expect(ready.response.status).toBe(503);
    expect(ready.ms).toBeLessThan(4_000);

    await proxy.heal();
    await becomesReady();
    expect((await http().get('/register')).status).toBe(200);
  }, 30_000);
});
