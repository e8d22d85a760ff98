import request from 'supertest';
import { ROLES, routeInventory, type RouteInfo } from '@tre/auth';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { LOAD_TOKEN_SCHEME } from '@tre/workspaces';
import { loadTokensFor, projectWithExtractRow } from '../support/load-fixtures';
import { application, callerAs, GP_DATASET } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  bodyCases,
  fieldCases,
  HEADER_CASES,
  PATH_VALUES,
  QUERIES,
  type MalformedCase,
} from './malformed-inputs';
import { sampleBody, type OpenApiDocument } from './openapi-sample';

/**
 * Every registered route, with a credential it accepts, receives the same bounded catalogue of malformed
 * input: nothing may answer 5xx, every answer carries a request id, and none takes 5 s. Bodies known to be
 * valid are the starting point where the fixtures have them, so a mutated field reaches the services.
 */
const SLOW_MS = 5_000;
const CONCURRENCY = 4;
/** The catalogue's size, so that trimming it by accident shows. */
const MIN_CASES = 3_500;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface Outcome {
  readonly route: string;
  readonly what: string;
  readonly status: number;
  readonly ms: number;
  readonly requestId?: string;
  readonly message?: unknown;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lanes = Array.from({ length: size }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

describe('malformed input on every route', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let token: string;
  let params: Record<string, string>;
  let loaderToken: string;
  let doc: OpenApiDocument;
  let limit: number;

  beforeAll(async () => {
    t = await startTestApp();
    routes = routeInventory(t.app);
    limit = t.app.get<AppConfig>(APP_CONFIG).apiBodyLimitBytes;
    const { projectId, extractId } = await projectWithExtractRow(t, 'pending');
    const grant = (await loadTokensFor(t, projectId, extractId)).valid;
    loaderToken = grant.token;
    const fuzz = await callerAs(t, 'fuzz', [...ROLES]);
    token = await t.env.token('fuzz', [...ROLES]);
    const own = await fuzz.post('/projects', application({ members: [] }));
    expect(own.status).toBe(201);
    params = {
      id: own.body.id as string,
      version: '1',
      code: 'GP_REGISTRATIONS',
      name: 'sex',
      list: 'national',
      fileId: '00000000-0000-4000-8000-000000000000',
      token: 'not-a-link',
      workspaceId: grant.scope.workspaceId,
      extractId: grant.scope.extractId,
      file: 'GP_REGISTRATIONS.csv',
    };
    doc = (await request(t.app.getHttpServer()).get('/docs-json')).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  /** Bodies the fixtures know to be valid; the OpenAPI document's samples elsewhere. */
  function validBody(route: RouteInfo): Record<string, unknown> {
    const known: Record<string, Record<string, unknown>> = {
      'POST /projects': application({ members: [] }),
      'PATCH /projects/:id': application({ members: [] }),
      'POST /datasets': { ...GP_DATASET, code: 'FUZZED_SET' },
      'PATCH /datasets/:code': {
        title: 'GP registrations',
        origin: 'gp',
        source: { schema: 'source', table: 'gp_registrations', personIdColumn: 'nhs_number' },
      },
    };
    const sampled = sampleBody(doc, route.method, route.path)?.body;
    return known[`${route.method} ${route.path}`] ?? (sampled as Record<string, unknown> | undefined) ?? {};
  }

  function casesFor(route: RouteInfo): MalformedCase[] {
    const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]);
    const cases: MalformedCase[] = [{ what: 'as is' }, ...HEADER_CASES];
    for (const name of names) {
      for (const value of PATH_VALUES)
        cases.push({ what: `path ${name}=${value.slice(0, 24)}`, params: { [name]: value } });
    }
    for (const query of QUERIES) cases.push({ what: `query ${query.slice(0, 40)}`, query });
    const base = validBody(route);
    const text = JSON.stringify(base);
    if (BODY_METHODS.has(route.method)) {
      cases.push(...bodyCases(limit, text));
      if (typeof base === 'object' && !Array.isArray(base))
        cases.push(...fieldCases(base, route.method === 'PATCH' || route.method === 'PUT'));
    } else {
      // Bodies where none is expected are still read by the parsers: the worst of them, once.
      cases.push(...bodyCases(limit, '{}').filter((c) => /nested|gzip|oversize/.test(c.what)));
    }
    return cases;
  }

  async function send(route: RouteInfo, c: MalformedCase): Promise<Outcome> {
    const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => c.params?.[name] ?? params[name]);
    const url = c.query ? `${path}?${c.query}` : path;
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = request(t.app.getHttpServer())[method](url);
    if (route.scheme === LOAD_TOKEN_SCHEME) req = req.set('Authorization', `Bearer ${loaderToken}`);
    else if (!route.isPublic) req = req.set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value);
    const started = Date.now();
    // Bodies go as given, byte for byte (superagent would otherwise JSON-encode a Buffer).
    const response =
      c.body === undefined ? await req : await req.serialize((raw: unknown) => raw as string).send(c.body);
    return {
      route: `${route.method} ${route.path}`,
      what: c.what,
      status: response.status,
      ms: Date.now() - started,
      requestId: response.headers['x-request-id'],
      message: (response.body as { message?: unknown } | undefined)?.message,
    };
  }

  it('never answers 5xx, always with a request id, never slower than 5 s', async () => {
    const work = routes.flatMap((route) => casesFor(route).map((c) => ({ route, c })));
    const started = Date.now();
    const outcomes = await inBatches(work, CONCURRENCY, ({ route, c }) => send(route, c));
    const elapsed = Date.now() - started;
    const bad = outcomes.filter((o) => o.status >= 500 || !o.requestId || o.ms >= SLOW_MS);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const statuses: Record<number, number> = {};
    for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    process.stdout.write(
      `${outcomes.length} requests over ${routes.length} routes in ${elapsed} ms, slowest ${slowest} ms, ` +
        `by status ${JSON.stringify(statuses)}\n`,
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect({ bad: bad.slice(0, 40), badCount: bad.length }).toEqual({ bad: [], badCount: 0 });
    // A refusal says why: every 4xx carries a message.
    const silent = outcomes.filter((o) => o.status >= 400 && (typeof o.message !== 'string' || !o.message));
    expect(silent.slice(0, 20)).toEqual([]);
  }, 300_000);
});
