import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MetricsServer } from '../../apps/api/src/metrics/metrics-server';
import { startTestApp, type TestApp } from '../support/test-app';

describe('operations and error handling over HTTP', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.env.token('ada', ['admin']);
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());

  it('reports liveness and readiness of Postgres and Redis', async () => {
    expect((await http().get('/health')).status).toBe(200);
    const ready = await http().get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toEqual({
      shutdown: { status: 'up' },
      postgres: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  it('stays ready while every pooled connection is busy: readiness asks the database, not the queue', async () => {
    const dataSource = t.app.get(DataSource);
    // Ten pooled connections (the pool's size) each held for 2.5 s: a request needing one now waits.
    const busy = Array.from({ length: 10 }, () => dataSource.query('SELECT pg_sleep(2.5)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const began = Date.now();
    const ready = await http().get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.postgres).toEqual({ status: 'up' });
    expect(Date.now() - began).toBeLessThan(1_000);
    await Promise.all(busy);
  });

  it('exposes Prometheus metrics with HTTP latency and queue depth, on the metrics listener only', async () => {
    await http().get('/health');
    expect((await http().get('/metrics')).status).toBe(404);
    const { port } = await t.app.get(MetricsServer).listen(0, '127.0.0.1');
    const metrics = await request(`http://127.0.0.1:${port}`).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/tre_http_request_duration_seconds_bucket\{.*route="\/health".*\}/);
    // Labelled by the route's pattern, never the raw URL (a label each would grow without bound).
    await http().get(`/projects/${randomUUID()}`);
    await http().get('/no/such/route');
    const after = (await request(`http://127.0.0.1:${port}`).get('/metrics')).text;
    expect(after).toMatch(
      /tre_http_request_duration_seconds_bucket\{.*route="\/projects\/:id",status="401".*\}/,
    );
    expect(after).toMatch(/tre_http_request_duration_seconds_bucket\{.*route="unmatched",status="404".*\}/);
    expect(after).not.toMatch(/route="\/(projects\/[0-9a-f-]{36}|no\/such)/);
    expect(metrics.text).toMatch(/tre_queue_jobs\{queue="audit",state="waiting"/);
    expect(metrics.text).toMatch(/tre_jobs_finished_total\{queue="audit",outcome="failed"/);
  });

  it('serves OpenAPI generated from the DTOs', async () => {
    const spec = await http().get('/docs-json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/audit', '/audit/verify', '/me']));
    expect(spec.body.components.schemas.AuditPageDto).toBeDefined();
  });

  it('puts a request id on every response and error, and keeps a sane one the caller sent', async () => {
    const own = await http().get('/health').set('x-request-id', 'caller-123');
    expect(own.headers['x-request-id']).toBe('caller-123');
    const error = await http().get('/me');
    expect(error.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.body.requestId).toBe(error.headers['x-request-id']);
    const insane = await http().get('/health').set('x-request-id', 'bad id with spaces');
    expect(insane.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await http().get('/no/such/route');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'No route for GET /no/such/route',
    });
  });

  it('answers bad query parameters with 400 and a message per field', async () => {
    const response = await http()
      .get('/audit?page=0&pageSize=1000&from=yesterday&unknown=1')
      .set('Authorization', `Bearer ${admin}`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(Object.keys(response.body.details.fields).sort()).toEqual(['from', 'page', 'pageSize', 'unknown']);
  });

  it('answers a malformed JSON body with 400, not 500', async () => {
    // The body is parsed before routing, so any path shows it.
    const response = await http().post('/me').set('Content-Type', 'application/json').send('{"broken":');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/JSON/),
    });
  });

  it('sets security headers', async () => {
    const response = await http().get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
  });

  it('upserts users from their claims and audits first sight and role changes, never their names', async () => {
    const first = await http()
      .get('/me')
      .set('Authorization', `Bearer ${await t.env.token('grace', ['researcher'])}`);
    expect(first.body).toMatchObject({ subject: 'grace', name: 'Test grace', roles: ['researcher'] });
    await http()
      .get('/me')
      .set('Authorization', `Bearer ${await t.env.token('grace', ['researcher'])}`);
    const promoted = await http()
      .get('/me')
      .set('Authorization', `Bearer ${await t.env.token('grace', ['researcher', 'dac_member'])}`);
    expect(promoted.body.id).toBe(first.body.id);

    const trail = await http()
      .get(`/audit?subjectId=${first.body.id}`)
      .set('Authorization', `Bearer ${admin}`);
    const items = trail.body.items as { action: string }[];
    expect(items.map((e) => e.action)).toEqual(['user.roles_changed', 'user.registered']);
    expect(trail.body.items[0].details).toEqual({ from: ['researcher'], to: ['dac_member', 'researcher'] });
    expect(JSON.stringify(trail.body)).not.toContain('Test grace');

    const verify = await http().get('/audit/verify').set('Authorization', `Bearer ${admin}`);
    expect(verify.body).toMatchObject({ valid: true });
    expect(verify.body.count).toBeGreaterThanOrEqual(3);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  // Any route but the probes, which are never limited (see test/resilience/rate-limit.e2e-spec.ts).
  it('answers 429 once a client exceeds its budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await request(t.app.getHttpServer()).get('/register')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await request(t.app.getHttpServer()).get('/register');
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("counts the access gateway's calls in a budget of their own, apart from people's", async () => {
    const secret = 'g'.repeat(40);
    const app = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '3',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '5',
      GATEWAY_API_SECRET: secret,
      QUEUE_PREFIX: `tre-test-gateway-budget-${Date.now()}`,
    });
    try {
      const recheck = () =>
        request(app.app.getHttpServer())
          .post('/gateway/recheck')
          .set('authorization', `Bearer ${secret}`)
          .send({ sessionIds: [] });
      const gatewayStatuses: number[] = [];
      for (let i = 0; i < 6; i += 1) gatewayStatuses.push((await recheck()).status);
      expect(gatewayStatuses).toEqual([200, 200, 200, 200, 200, 429]);
      // Six gateway calls from this address, and people's three requests are all still there.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await request(app.app.getHttpServer()).get('/register')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
    }
  });

  it('counts in Redis, so two replicas share one budget instead of doubling it', async () => {
    const sharedPrefix = `tre-test-replicas-${Date.now()}`;
    const first = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', QUEUE_PREFIX: sharedPrefix });
    const second = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', QUEUE_PREFIX: sharedPrefix });
    try {
      const statuses: number[] = [];
      for (const replica of [first, second, first, second])
        statuses.push((await request(replica.app.getHttpServer()).get('/register')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
