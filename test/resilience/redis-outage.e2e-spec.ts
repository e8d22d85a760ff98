import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { JobQueue, UnavailableError } from '@tre/core';
import {
  setUpTestEnvironment,
  startPrivateRedis,
  type PrivateRedis,
  type TestEnvironment,
} from '@tre/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { readyApiApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { HealthServer } from '../../apps/worker/src/health/health-server';

const LIMIT = 25;

/**
 * Redis stopped under a running API and worker (a private redis-server; the shared one is never touched).
 * Liveness and everything that needs only Postgres go on; readiness says Redis is down; what needs a queue is
 * refused with 503 and the reason; the rate limit is counted in the process meanwhile.
 */
// BullMQ (5.x) raises a connection's failed start as an 'error' event after that connection was closed and its
// listeners removed; @tre/core's dropLateConnectionErrors logs and drops those (before it, this file failed about
// two runs in five with an uncaught ECONNREFUSED). Cases are still tried again once more on a failure: a behaviour
// that is really broken fails every try.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

describe('the API and the worker while Redis is away', () => {
  let env: TestEnvironment;
  let redis: PrivateRedis;
  let app: INestApplication;
  let worker: INestApplicationContext;
  let workerPort: number;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    env = await setUpTestEnvironment({
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '500',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      WORKER_PORT: '0',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = await readyApiApp(moduleRef);
    worker = await startTestWorker();
    workerPort = worker.get(HealthServer).port!;
  });
  afterAll(async () => {
    await redis.start();
    await worker?.close();
    await app?.close();
    await redis.close();
    await env.teardown();
  });

  const http = () => request(app.getHttpServer());
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const began = Date.now();
    const value = await work();
    return { value, ms: Date.now() - began };
  };
  const fromWorker = (path: string) => fetch(`http://127.0.0.1:${workerPort}${path}`);

  it('keeps liveness, the public register and the worker metrics, and says Redis is down', async () => {
    expect((await http().get('/ready')).status).toBe(200);
    await redis.stop();

    const live = await timed(() => http().get('/health'));
    expect(live.value.status).toBe(200);
    expect(live.ms).toBeLessThan(500);
    // The register reads Postgres only; its rate limit is counted in the process while Redis is away.
    const register = await timed(() => http().get('/register'));
    expect(register.value.status).toBe(200);
    expect(register.ms).toBeLessThan(1_500);

    const ready = await timed(() => http().get('/ready'));
    expect(ready.value.status).toBe(503);
    expect(ready.value.body.details).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'down', message: expect.any(String) },
    });
    expect(ready.ms).toBeLessThan(3_000);

    const workerLive = await timed(() => fromWorker('/health'));
    expect(workerLive.value.status).toBe(200);
    const metrics = await timed(() => fromWorker('/metrics'));
    expect(metrics.value.status).toBe(200);
    expect(await metrics.value.text()).toMatch(/tre_queue_redis_up\{app="worker"\} 0/);
    expect(metrics.ms).toBeLessThan(3_000);
    expect((await fromWorker('/ready')).status).toBe(503);
  }, 30_000);

  it('refuses work that needs a queue with 503 and the reason, within the command timeout', async () => {
    const attempt = await timed(() =>
      app
        .get(JobQueue)
        .enqueue('workspaces.request', { approvalId: '00000000-0000-4000-8000-000000000000' })
        .then(
          () => undefined,
          (error: unknown) => error,
        ),
    );
    expect(attempt.value).toBeInstanceOf(UnavailableError);
    expect((attempt.value as UnavailableError).message).toMatch(/job queue \(Redis\) is unavailable/);
    expect(attempt.ms).toBeLessThan(1_500);
  });

  it('still limits each address while Redis is away, counting in the process', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await http().get('/register')).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.slice(0, LIMIT - 2).every((status) => status === 200)).toBe(true);
  }, 30_000);

  it('is ready again once Redis answers', async () => {
    await redis.start();
    await eventually(
      async () => ((await http().get('/ready')).status === 200 ? true : undefined),
      15_000,
      'API readiness',
    );
    await eventually(
      async () => ((await fromWorker('/ready')).status === 200 ? true : undefined),
      15_000,
      'worker readiness',
    );
  }, 30_000);
});
