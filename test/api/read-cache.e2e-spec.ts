import { Client } from 'pg';
import type { Counter } from 'prom-client';
import supertest from 'supertest';
import { ChangeFeed } from '../../apps/api/src/read-cache/change-feed';
import { ReadCacheMetrics } from '../../apps/api/src/read-cache/read-cache-metrics';
import { ApiMetrics } from '../../apps/api/src/metrics/metrics.service';
import {
  cachedRouteExamples,
  getAs,
  tablesDeclaredBy,
  type CachedRouteExample,
} from '../support/cached-route-examples';
import { application, callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const total = async (counter: Counter): Promise<number> =>
  (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);

/** Headers whose values differ from one answer to the next whatever served it. */
const GATEWAY_SECRET = 'g'.repeat(40);
const PER_ANSWER = new Set(['date', 'x-request-id', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
const sameHeaders = (response: supertest.Response) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_ANSWER.has(name)));

/**
 * The read cache (ReadCacheInterceptor): a repeated GET is answered from memory, yet never with an answer a
 * committed change has made stale, another caller's answer, or an answer to a caller the guard now refuses.
 */
describe('the read cache', () => {
  let t: TestApp;
  let metrics: ReadCacheMetrics;
  let examples: CachedRouteExample[];
  let other: Client;
  let lead: Caller;
  let projectId: string;

  /** The counters' change over `work`. */
  const counted = async (work: () => Promise<unknown>) => {
    const before = { hits: await total(metrics.hits), misses: await total(metrics.misses) };
    const bypassesBefore = await total(metrics.bypasses);
    await work();
    return {
      hits: (await total(metrics.hits)) - before.hits,
      misses: (await total(metrics.misses)) - before.misses,
      bypasses: (await total(metrics.bypasses)) - bypassesBefore,
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ GATEWAY_API_SECRET: GATEWAY_SECRET });
    metrics = t.app.get(ReadCacheMetrics);
    examples = await cachedRouteExamples(t);
    lead = examples.find((e) => e.route === 'ProjectsController.get')!.as!;
    projectId = examples.find((e) => e.route === 'RegisterController.entry')!.url.split('/')[2];
    // Another connection, as the worker or another API replica writes.
    other = new Client({ connectionString: t.env.database.url });
    await other.connect();
    await until(() => t.app.get(ChangeFeed).isListening);
  });
  afterAll(async () => {
    await other?.end();
    await t?.close();
  });

  it('answers a second identical GET from the cache, with the same body and headers', async () => {
    for (const example of examples) {
      const first = await getAs(t, example);
      expect(first.status).toBe(200);
      let second!: supertest.Response;
      expect(await counted(async () => (second = await getAs(t, example)))).toMatchObject({
        hits: 1,
        misses: 0,
      });
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(sameHeaders(second)).toEqual(sameHeaders(first));
      expect(second.headers['cache-control']).toBe('no-store');
    }
    const exposed = await t.app.get(ApiMetrics).registry.metrics();
    for (const name of ['hits', 'misses', 'bypasses', 'invalidations'])
      expect(exposed).toContain(`tre_read_cache_${name}_total`);
  });

  it("times each miss, and each hit's wait for the change feed, apart", async () => {
    const timed = async (histogram: typeof metrics.missSeconds) =>
      (await histogram.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const register = examples.find((e) => e.route === 'RegisterController.list')!;
    const fresh = { ...register, url: `${register.url}${register.url.includes('?') ? '&' : '?'}page=1` };
    const missesBefore = await timed(metrics.missSeconds);
    const hitWaitsBefore = await timed(metrics.hitWaitSeconds);
    const counts = await counted(async () => {
      await getAs(t, fresh);
      await getAs(t, fresh);
      await getAs(t, fresh);
    });
    expect(counts).toMatchObject({ hits: 2, misses: 1 });
    expect((await timed(metrics.missSeconds)) - missesBefore).toBe(1);
    expect((await timed(metrics.hitWaitSeconds)) - hitWaitsBefore).toBe(2);
  });

  it('runs the handler once for identical GETs that arrive together, and answers the rest with its answer', async () => {
    const audit = examples.find((e) => e.route === 'AuditController.list')!;
    const fresh = { ...audit, url: `${audit.url}&page=1` };
    let answers!: supertest.Response[];
    const counts = await counted(
      async () => (answers = await Promise.all(Array.from({ length: 6 }, () => getAs(t, fresh)))),
    );
    expect(counts).toMatchObject({ misses: 1, hits: 5 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it('drops an answer when any table its route names changes, committed on another connection', async () => {
    const served: string[] = [];
    for (const example of examples) {
      for (const table of tablesDeclaredBy(t, example.route)) {
        await getAs(t, example);
        // A statement that changes no row still announces the table: what is checked is that it is heard.
        await other.query(`DELETE FROM ${table} WHERE false`);
        const { hits } = await counted(() => getAs(t, example));
        if (hits > 0) served.push(`${example.url} after a change to ${table}`);
      }
    }
    expect(served).toEqual([]);
  });

  it('shows a change made by SQL on another connection at the next GET', async () => {
    const detail = `/projects/${projectId}`;
    expect((await lead.get(detail)).body.title).not.toBe('Renamed by SQL');
    await lead.get(detail);
    await other.query(`UPDATE projects SET title = 'Renamed by SQL' WHERE id = $1`, [projectId]);
    expect((await lead.get(detail)).body.title).toBe('Renamed by SQL');
    // A table beside the route's own row: the lead's accreditation lapses, and the workspace closes to them.
    const workspace = examples.find((e) => e.route === 'WorkspacesController.detail')!;
    expect((await getAs(t, workspace)).status).toBe(200);
    expect((await getAs(t, workspace)).status).toBe(200);
    await other.query(
      `INSERT INTO accreditations (subject, state, expires_on, reference, updated_by)
       VALUES ('rita', 'lapsed', '2099-01-01', 'test', gen_random_uuid())`,
    );
    expect((await getAs(t, workspace)).status).toBe(403);
    await other.query(`DELETE FROM accreditations WHERE subject = 'rita'`);
  });

  it('shows a change made through the API at the next GET, dropping every answer kept here', async () => {
    const draft = (await lead.post('/projects', application({ title: 'Before' }))).body.id as string;
    expect((await lead.get(`/projects/${draft}`)).body.title).toBe('Before');
    expect((await lead.get(`/projects/${draft}`)).body.title).toBe('Before');
    const dropped = async () => total(metrics.invalidations);
    const before = await dropped();
    expect((await lead.patch(`/projects/${draft}`, { title: 'After' })).status).toBe(204);
    expect(await dropped()).toBeGreaterThan(before);
    expect((await lead.get(`/projects/${draft}`)).body.title).toBe('After');
  });

  it("keeps its answers through a machine's write (the gateways' re-checks, a second each), which the feed covers", async () => {
    const detail = `/projects/${projectId}`;
    await lead.get(detail);
    const dropped = await total(metrics.invalidations);
    const recheck = await supertest(t.app.getHttpServer())
      .post('/gateway/recheck')
      .set('authorization', `Bearer ${GATEWAY_SECRET}`)
      .send({ sessionIds: [] });
    expect(recheck.status).toBe(200);
    expect(await total(metrics.invalidations)).toBe(dropped);
    expect(await counted(() => lead.get(detail))).toMatchObject({ hits: 1, misses: 0 });
  });

  it('never gives one caller the answer kept for another, nor for the same person with other roles', async () => {
    const mine = examples.find((e) => e.url.startsWith('/projects?scope=mine'))!;
    const leads = (await getAs(t, mine)).body.items as { id: string }[];
    expect(leads.length).toBeGreaterThan(0);
    const rob = await callerAs(t, 'rob', ['researcher']);
    expect((await rob.get(mine.url)).body.items).toEqual([]);
    expect((await rob.get(`/projects/${projectId}`)).status).toBe(404);
    // The same person (one user id) with fewer roles: their answers are their own too.
    const queue = examples.find((e) => e.url.startsWith('/projects?scope=awaiting_review'))!;
    expect((await getAs(t, queue)).body.items.length).toBeGreaterThan(0);
    expect((await getAs(t, queue)).body.items.length).toBeGreaterThan(0);
    const devAsResearcher = await callerAs(t, 'dev', ['researcher']);
    expect((await devAsResearcher.get(queue.url)).body.items).toEqual([]);
  });

  it('refuses a caller whose token no longer carries the role, though an answer is kept for them', async () => {
    const audit = examples.find((e) => e.route === 'AuditController.list')!;
    expect((await getAs(t, audit)).status).toBe(200);
    expect(await counted(() => getAs(t, audit))).toMatchObject({ hits: 1 });
    const adaNoLonger = await callerAs(t, 'ada', ['researcher']);
    expect((await adaNoLonger.get(audit.url)).status).toBe(403);
    const forged = await adaNoLonger.get(audit.url).set('Authorization', 'Bearer not-a-token');
    expect(forged.status).toBe(401);
  });

  it('serves nothing kept once API_READ_CACHE_SECONDS have passed', async () => {
    const example = examples[0];
    await getAs(t, example);
    expect(await counted(() => getAs(t, example))).toMatchObject({ hits: 1 });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 5_000);
    try {
      expect(await counted(() => getAs(t, example))).toMatchObject({ hits: 0, misses: 1 });
    } finally {
      clock.mockRestore();
    }
  });

  it('is bypassed while the change feed is down, and keeps nothing from before once it is back', async () => {
    const feed = t.app.get(ChangeFeed);
    const detail = `/projects/${projectId}`;
    await lead.get(detail);
    expect(await counted(() => lead.get(detail))).toMatchObject({ hits: 1 });
    // The change commits as the listener is cut off: its notification is never heard.
    await other.query('BEGIN');
    await other.query(`UPDATE projects SET title = 'Changed unheard' WHERE id = $1`, [projectId]);
    await other.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'tre-change-feed' AND datname = current_database()`,
    );
    await other.query('COMMIT');
    await until(() => !feed.isListening);
    let whileDown!: supertest.Response;
    expect(await counted(async () => (whileDown = await lead.get(detail)))).toMatchObject({
      hits: 0,
      bypasses: 1,
    });
    expect(whileDown.body.title).toBe('Changed unheard');
    await until(() => feed.isListening);
    let back!: supertest.Response;
    expect(await counted(async () => (back = await lead.get(detail)))).toMatchObject({ hits: 0, misses: 1 });
    expect(back.body.title).toBe('Changed unheard');
    expect(await counted(() => lead.get(detail))).toMatchObject({ hits: 1 });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error('the change feed never changed state');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
