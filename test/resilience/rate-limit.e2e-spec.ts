import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const LIMIT = 20;
const ROUTES = [
  '/me',
  '/projects',
  '/workspaces',
  '/audit',
  '/audit/verify',
  '/register',
  '/register/csv',
  '/datasets',
  '/outputs',
  '/optouts',
];

/** The README's promise: a number of requests per minute per client address, whatever routes they go to. */
describe('the rate limit', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    token = await t.env.token('ada', [
      'admin',
      'researcher',
      'dac_member',
      'output_checker',
      'data_custodian',
    ]);
  });
  afterAll(() => t.close());

  it('counts one address across every route: spread over ten routes, the limit still holds', async () => {
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const route of ROUTES) {
        const response = await request(t.app.getHttpServer())
          .get(route)
          .set('Authorization', `Bearer ${token}`);
        statuses.push(response.status);
      }
    }
    // Three requests a route never reach the limit on any one route; together they pass it.
    expect(statuses.slice(0, LIMIT).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual(new Array(3 * ROUTES.length - LIMIT).fill(429));

    const refused = await request(t.app.getHttpServer()).get('/register');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Probes are never refused: an orchestrator must not take a busy API for a dead one.
    expect((await request(t.app.getHttpServer()).get('/health')).status).toBe(200);
  });
});
