import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { MetricsServer } from '../../apps/api/src/metrics/metrics-server';
import { startTestApp, type TestApp } from '../support/test-app';

/** Sends bytes as they are (no client would send them) and returns the raw answer. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes, 'latin1');
  });
}

const headerOf = (answer: string, name: string): string | undefined =>
  new RegExp(`^${name}: *(.*)$`, 'im').exec(answer.split('\r\n\r\n')[0])?.[1]?.trim();

describe('what every response carries', () => {
  let t: TestApp;
  let token: string;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.env.token('rhea', ['researcher']);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  const withId = (response: request.Response) => ({
    status: response.status,
    id: /^[0-9a-f-]{36}$/.test(String(response.headers['x-request-id'])),
  });

  it('puts a request id on the body parsers’ refusals, the documentation and unknown routes', async () => {
    const json = (body: string | Buffer) =>
      http()
        .post('/projects')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .serialize((x: unknown) => x as string)
        .send(body);
    const answers = {
      badJson: withId(await json('{"broken":')),
      tooLarge: withId(await json(`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`)),
      badGzip: withId(await json(Buffer.from('nope')).set('Content-Encoding', 'gzip')),
      badCharset: withId(await json('{}').set('Content-Type', 'application/json; charset=klingon')),
      docs: withId(await http().get('/docs')),
      docsJson: withId(await http().get('/docs-json')),
      unknown: withId(await http().get('/no/such/route')),
    };
    expect(answers).toEqual({
      badJson: { status: 400, id: true },
      tooLarge: { status: 413, id: true },
      badGzip: { status: 400, id: true },
      badCharset: { status: 415, id: true },
      docs: { status: expect.any(Number), id: true },
      docsJson: { status: 200, id: true },
      unknown: { status: 404, id: true },
    });
  });

  it('answers requests Node cannot parse in the API’s shape, with a request id', async () => {
    const cases = {
      nulInHeader: `GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`,
      hugeHeaders: `GET /health HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`,
      brokenRequestLine: `GET /he alth HTTP/9\r\n\r\n`,
      nulInPath: `GET /datasets/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`,
    };
    const outcomes: Record<string, unknown> = {};
    for (const [what, bytes] of Object.entries(cases)) {
      const answer = await rawExchange(port, bytes);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      outcomes[what] = {
        clientError: status >= 400 && status < 500,
        id: /^[0-9a-f-]{36}$/.test(headerOf(answer, 'x-request-id') ?? ''),
        json: /"message":"The request is not valid HTTP/.test(answer),
      };
    }
    const expected = { clientError: true, id: true, json: true };
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(cases).map((what) => [what, expected])));
  });

  it('marks authenticated JSON answers, and refusals, as never to be stored', async () => {
    const me = await http().get('/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.headers['content-type']).toMatch(/json/);
    expect(me.headers['cache-control']).toBe('no-store');
    const listing = await http().get('/projects').set('Authorization', `Bearer ${token}`);
    expect(listing.headers['cache-control']).toBe('no-store');
    const refusal = await http().get('/projects').set('Authorization', 'Bearer nope');
    expect(refusal.status).toBe(401);
    expect(refusal.headers['cache-control']).toBe('no-store');
  });

  it('serves /metrics only on its own listener, never on the public port', async () => {
    const publicPort = await http().get('/metrics');
    expect(publicPort.status).toBe(404);
    expect(publicPort.text).not.toMatch(/tre_http_request_duration_seconds/);

    const address = await t.app.get(MetricsServer).listen(0, '127.0.0.1');
    const metrics = request(`http://127.0.0.1:${address.port}`);
    const scrape = await metrics.get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.text).toMatch(/tre_http_request_duration_seconds_bucket\{.*route="\/me".*\}/);
    expect(scrape.text).toMatch(/tre_queue_jobs\{queue="audit",state="waiting"/);
    expect(scrape.headers['x-request-id']).toEqual(expect.any(String));
    const elsewhere = await metrics.get('/me');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers['x-request-id']).toEqual(expect.any(String));
    expect((await metrics.post('/metrics')).status).toBe(405);
  });
});
