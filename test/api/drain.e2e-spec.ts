import request from 'supertest';
import { Drain } from '../../apps/api/src/shutdown/drain';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A stopping API drains before it closes: readiness fails (the load balancer stops sending to it) while requests
 * are still answered, each with `Connection: close`, so pooled keep-alive connections move to another replica.
 */
describe('draining before a stop', () => {
  let t: TestApp;
  // A client that would keep its connection: what the server answers is then its own choice.
  const get = (path: string) => request(t.app.getHttpServer()).get(path).set('Connection', 'keep-alive');

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is ready and keeps connections alive until it drains (the control)', async () => {
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.headers.connection).not.toBe('close');
  });

  it('once draining: /ready answers 503 naming it, requests are still served, each closing its connection', async () => {
    t.app.get(Drain).start();
    const ready = await get('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toContain('draining before it stops');
    const served = await get('/register');
    expect(served.status).toBe(200);
    expect(served.headers.connection).toBe('close');
  });
});
