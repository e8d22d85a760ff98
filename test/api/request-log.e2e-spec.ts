import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import request from 'supertest';
import { loggerOf, requestContext } from '@tre/core';
import { CapturedLogs } from '../support/captured-logs';
import { startTestApp, type TestApp } from '../support/test-app';

/** The request log operators read: one line per request, its id, never its credentials. */
describe('the request log', () => {
  let t: TestApp;
  let token: string;
  const logs = new CapturedLogs();
  const parsed = () => logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const about = (url: string) => parsed().filter((line) => (line.req as { url?: string })?.url === url);

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logs });
    token = await t.env.token('rhea', ['researcher']);
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());

  it('writes one line as each request ends, with its id, method, URL, status and time', async () => {
    await http().get('/web-config').set('x-request-id', 'log-test-1').expect(200);
    await http().get('/projects?scope=mine').set('authorization', `Bearer ${token}`).expect(200);
    await http().get('/no-such-route').set('x-request-id', 'log-test-2').expect(404);

    expect(about('/web-config')).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        requestId: 'log-test-1',
        req: { id: 'log-test-1', method: 'GET', url: '/web-config' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(about('/projects?scope=mine')).toEqual([
      expect.objectContaining({ msg: 'request completed', res: { statusCode: 200 } }),
    ]);
    expect(about('/no-such-route')).toEqual([
      expect.objectContaining({ requestId: 'log-test-2', res: { statusCode: 404 } }),
    ]);
    // The bearer token is never written, nor any header.
    expect(logs.text()).not.toContain(token);
    expect(logs.text()).not.toContain('authorization');
  });

  it('leaves out the probes and scrapes', async () => {
    await http().get('/health');
    expect(about('/health')).toEqual([]);
  });

  it("gives every line written during a request that request's id", () => {
    const logger = loggerOf(t.app.get<Params>(PARAMS_PROVIDER_TOKEN));
    requestContext.run({ requestId: 'log-test-3' }, () => logger.warn('inside a request'));
    logger.warn('outside any request');
    expect(parsed().find((line) => line.msg === 'inside a request')).toMatchObject({
      requestId: 'log-test-3',
    });
    expect(parsed().find((line) => line.msg === 'outside any request')).not.toHaveProperty('requestId');
  });

  it('sends no ETag or X-Powered-By with API answers (they are never cached)', async () => {
    const response = await http().get('/web-config').expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
