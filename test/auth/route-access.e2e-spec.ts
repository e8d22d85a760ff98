import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { mintDevToken, ROLES, type RouteInfo } from '@tre/auth';
import { COLLECT_TOKEN_SCHEME, CollectGrantsService, LIST_TOKEN_SCHEME } from '@tre/outputs';
import { GATEWAY_SCHEME, LOAD_TOKEN_SCHEME } from '@tre/workspaces';
import { collectTokensFor } from '../support/collect-fixtures';
import { loadTokensFor, projectWithExtractRow } from '../support/load-fixtures';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller } from '../support/project-fixtures';
import { allRoutes, routeKey as key } from '../support/route-walk';
import { servedRoutes, startTestApp, type TestApp } from '../support/test-app';

/**
 * The deny-by-default proof. Walks every route the API registers and shows that each one not deliberately
 * public answers 401 without a valid token and 403 to a token whose roles it does not grant.
 * Adding a public route means adding it to PUBLIC_ROUTES below, on purpose, in review.
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /ready',
  'GET /register',
  'GET /register/csv',
  // the transparency statement (totals over a period; counts of people rounded) and the patients' opt-out page
  'GET /register/statement',
  'GET /register/statement/csv',
  'GET /patients/opt-outs',
  'GET /register/json',
  'GET /register/:id',
  // the web app: its page (which holds no data; each page's data comes from the guarded routes), and what it
  // needs to know before anyone signs in
  'GET /',
  'GET /app',
  'GET /app/*',
  'GET /web-config',
  // development sign-in: answers 404 unless AUTH_MODE=dev (proved in test/api/web-app.e2e-spec.ts)
  'GET /dev/people',
  'POST /dev/sign-in',
  // the transparency log: signed heads, the key and consistency proofs reveal hashes only
  'GET /transparency/heads/latest',
  'GET /transparency/heads',
  'GET /transparency/key',
  'GET /transparency/consistency',
  // a one-time, short-lived download link: its own token is the credential
  'GET /output-downloads/:token',
];

/**
 * Routes authenticated by a credential of their own scheme instead of a person's token; each scheme is proved
 * below. Like PUBLIC_ROUTES, adding one is a deliberate act.
 */
const LOADER = '/workspace-load/:workspaceId/extracts/:extractId';
const INTAKE = '/output-intake/:requestId';
const SCHEME_ROUTES: Record<string, string[]> = {
  [LOAD_TOKEN_SCHEME]: [`GET ${LOADER}/manifest`, `GET ${LOADER}/files/:file`, `POST ${LOADER}/completion`],
  // The airlock's intake: the only routes that take output bytes, and only from a request's collector.
  [COLLECT_TOKEN_SCHEME]: [
    `GET ${INTAKE}/plan`,
    `PUT ${INTAKE}/items/:index/record`,
    `PUT ${INTAKE}/items/:index/file`,
    `POST ${INTAKE}/items/:index/failure`,
    `POST ${INTAKE}/completion`,
  ],
  // The listing intake: names, sizes and times from a workspace's collector in list mode, never bytes.
  [LIST_TOKEN_SCHEME]: ['POST /output-listing-intake/:listingId'],
  [GATEWAY_SCHEME]: [
    'POST /gateway/redeem',
    'POST /gateway/authorise',
    'POST /gateway/recheck',
    'POST /gateway/activity',
    'POST /gateway/sessions/:id/close',
    'POST /gateway/refusals',
  ],
};

const GATEWAY_SECRET = 'route-access-gateway-secret-0123456789abcdef';

/**
 * Layers on the HTTP server that are not handlers: Swagger's documentation pages, and the catch-all layer
 * Nest mounts for every method to run global middleware (it has no handler, so unknown paths reach 404).
 */
// The documentation's pages and files, and the HEAD the framework answers beside each GET (same guard).
const NOT_HANDLERS = [/^[A-Z-]+ \/docs/, /^HEAD /];

const concretePath = (path: string): string => path.replace(/:[A-Za-z]+/g, randomUUID());

describe('access to every route', () => {
  let t: TestApp;
  let routes: RouteInfo[];

  const outputStore = mkdtempSync(join(tmpdir(), 'tre-route-access-store-'));

  beforeAll(async () => {
    t = await startTestApp({ GATEWAY_API_SECRET: GATEWAY_SECRET, OUTPUT_STORE_DIR: outputStore });
    routes = allRoutes(t.app);
  });
  afterAll(() => t.close());

  const call = (route: RouteInfo, token?: string) => {
    const agent = request(t.app.getHttpServer());
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const req = agent[method](concretePath(route.path));
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('finds the routes the HTTP server actually serves', () => {
    const served = servedRoutes(t.app).filter(
      (route) => !NOT_HANDLERS.some((pattern) => pattern.test(route)),
    );
    expect(new Set(served)).toEqual(new Set(routes.map(key)));
    expect(routes.length).toBeGreaterThanOrEqual(6);
  });

  it('opens only the deliberately public routes', () => {
    expect(
      routes
        .filter((route) => route.isPublic)
        .map(key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 on every other route without a token, with a malformed one, or with a foreign one', async () => {
    const foreignKey = join(mkdtempSync(join(tmpdir(), 'tre-foreign-')), 'key.json');
    const foreign = await mintDevToken(foreignKey, { subject: 'mallory', name: 'M', roles: [...ROLES] });
    const expired = await mintDevToken(t.env.devKeyFile, {
      subject: 'late',
      name: 'L',
      roles: [...ROLES],
      expiresIn: '-1m',
    });
    for (const route of routes.filter((r) => !r.isPublic)) {
      for (const token of [undefined, 'not-a-jwt', foreign, expired]) {
        const response = await call(route, token);
        expect({ route: key(route), token: token?.slice(0, 8), status: response.status }).toEqual({
          route: key(route),
          token: token?.slice(0, 8),
          status: 401,
        });
        expect(response.body.code).toBe('unauthenticated');
      }
    }
  });

  it('authenticates only the listed routes by a scheme of their own, and only by schemes it proves', () => {
    const schemed: Record<string, string[]> = {};
    for (const route of routes.filter((r) => r.scheme)) (schemed[route.scheme!] ??= []).push(key(route));
    for (const list of Object.values(schemed)) list.sort();
    expect(schemed).toEqual(
      Object.fromEntries(Object.entries(SCHEME_ROUTES).map(([k, v]) => [k, [...v].sort()])),
    );
    expect(routes.filter((r) => r.scheme && (r.isPublic || r.roles.length > 0))).toEqual([]);
  });

  it('admits a load-token route only with a live token of its own workspace and extract', async () => {
    const { projectId, extractId } = await projectWithExtractRow(t, 'pending');
    const tokens = await loadTokensFor(t, projectId, extractId);
    const person = await t.env.token('admin-person', [...ROLES]);
    const pathFor = (route: RouteInfo, scope: { workspaceId: string; extractId: string }) =>
      route.path
        .replace(':workspaceId', scope.workspaceId)
        .replace(':extractId', scope.extractId)
        .replace(':file', 'GP_REGISTRATIONS.csv');
    const send = (route: RouteInfo, path: string, token?: string) => {
      const agent = request(t.app.getHttpServer());
      const req =
        route.method === 'POST' ? agent.post(path).send({ filesVerified: 0, bytes: 0 }) : agent.get(path);
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    };
    const refused: [string, { workspaceId: string; extractId: string }, string | undefined][] = [
      ['missing', tokens.valid.scope, undefined],
      ['wrong', tokens.valid.scope, `trel_${'x'.repeat(43)}`],
      ["a person's token with every role", tokens.valid.scope, person],
      ['expired', tokens.expired.scope, tokens.expired.token],
      ['revoked', tokens.revoked.scope, tokens.revoked.token],
      ['superseded', tokens.superseded.scope, tokens.superseded.token],
      ['completed', tokens.completed.scope, tokens.completed.token],
      ["another workspace's", tokens.valid.scope, tokens.otherWorkspace.token],
      ['for another extract', { ...tokens.valid.scope, extractId: randomUUID() }, tokens.valid.token],
    ];
    const loadRoutes = routes.filter((r) => r.scheme === LOAD_TOKEN_SCHEME);
    for (const route of loadRoutes) {
      for (const [what, scope, token] of refused) {
        const response = await send(route, pathFor(route, scope), token);
        expect({ route: key(route), what, status: response.status }).toEqual({
          route: key(route),
          what,
          status: 401,
        });
        expect(response.body.code).toBe('unauthenticated');
      }
      // The extract is not ready: a live token gets past authentication to the extract's state (409).
      const admitted = await send(route, pathFor(route, tokens.valid.scope), tokens.valid.token);
      expect({ route: key(route), status: admitted.status }).toEqual({ route: key(route), status: 409 });
    }
  });

  it('admits a collect-token route only with a live token of its own request, never a person’s', async () => {
    const { projectId } = await projectWithExtractRow(t, 'pending');
    const tokens = await collectTokensFor(t, projectId);
    const person = await t.env.token('admin-person', [...ROLES]);
    const send = (route: RouteInfo, requestId: string, token?: string) => {
      const path = route.path.replace(':requestId', requestId).replace(':index', '0');
      const agent = request(t.app.getHttpServer());
      const req =
        route.method === 'GET'
          ? agent.get(path)
          : route.method === 'PUT'
            ? agent.put(path).set('Content-Type', 'application/octet-stream').send(Buffer.from('a,b\n1,2\n'))
            : agent.post(path).send({ reason: 'route access' });
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    };
    const refused: [string, string, string | undefined][] = [
      ['missing', tokens.valid.requestId, undefined],
      ['wrong', tokens.valid.requestId, `trec_${'x'.repeat(43)}`],
      ["a person's token with every role", tokens.valid.requestId, person],
      ['expired', tokens.expired.requestId, tokens.expired.token],
      ['revoked', tokens.revoked.requestId, tokens.revoked.token],
      ['superseded', tokens.superseded.requestId, tokens.superseded.token],
      ['spent', tokens.spent.requestId, tokens.spent.token],
      ["another request's", tokens.valid.requestId, tokens.otherRequest.token],
    ];
    const intakeRoutes = routes.filter((r) => r.scheme === COLLECT_TOKEN_SCHEME);
    expect(intakeRoutes).toHaveLength(5);
    for (const route of intakeRoutes)
      for (const [what, requestId, token] of refused) {
        const response = await send(route, requestId, token);
        expect({ route: key(route), what, status: response.status }).toEqual({
          route: key(route),
          what,
          status: 401,
        });
        expect(response.body.code).toBe('unauthenticated');
      }
    // A live token gets past authentication (the plan answers; the completion spends it last).
    const plan = await send(
      intakeRoutes.find((r) => r.path.endsWith('/plan'))!,
      tokens.valid.requestId,
      tokens.valid.token,
    );
    expect(plan.status).toBe(200);
  });

  it('admits the listing intake only with a live token of its own listing, never a person’s or an add grant’s', async () => {
    const { projectId } = await projectWithExtractRow(t, 'pending');
    const db = t.app.get(DataSource);
    const grants = t.app.get(CollectGrantsService);
    const collectTokens = await collectTokensFor(t, projectId);
    const person = await t.env.token('admin-person', [...ROLES]);
    const workspaceId = randomUUID();
    const origin = {
      workspaceId,
      namespace: null,
      claimUid: null,
      jobUid: null,
      image: null,
      runner: 'local-process' as const,
    };
    const newListing = async () => {
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO output_listings (project_id, workspace_id, requested_by, runner, state, steps)
         VALUES ($1, $2, 'alice', 'local-process', 'succeeded', '[]') RETURNING id`,
        [projectId, workspaceId],
      );
      const issued = await grants.issueForListing(
        { listingId: row.id, projectId, requestedBy: 'alice', origin },
        600,
      );
      return { listingId: row.id, ...issued };
    };
    const valid = await newListing();
    const other = await newListing();
    const expired = await newListing();
    await db.query(
      `UPDATE output_collect_grants SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expired.grantId],
    );
    const revoked = await newListing();
    await grants.revokeGrant(revoked.grantId);
    const spent = await newListing();
    await db.query(`UPDATE output_collect_grants SET spent_at = now() WHERE id = $1`, [spent.grantId]);
    const [route, ...more] = routes.filter((r) => r.scheme === LIST_TOKEN_SCHEME);
    expect(more).toEqual([]);
    const send = (listingId: string, token?: string) => {
      const req = request(t.app.getHttpServer())
        .post(route.path.replace(':listingId', listingId))
        .send({ files: [], skipped: [], truncated: false });
      return token ? req.set('Authorization', `Bearer ${token}`) : req;
    };
    const refused: [string, string, string | undefined][] = [
      ['missing', valid.listingId, undefined],
      ['wrong', valid.listingId, `trec_${'x'.repeat(43)}`],
      ["a person's token with every role", valid.listingId, person],
      ['expired', expired.listingId, expired.token],
      ['revoked', revoked.listingId, revoked.token],
      ['spent', spent.listingId, spent.token],
      ["another listing's", valid.listingId, other.token],
      ["a request's collect token", valid.listingId, collectTokens.valid.token],
    ];
    for (const [what, listingId, token] of refused) {
      const response = await send(listingId, token);
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(response.body.code).toBe('unauthenticated');
    }
    // A live token gets past authentication: the listing is taken, and the token spent.
    expect((await send(valid.listingId, valid.token)).status).toBe(200);
    expect((await send(valid.listingId, valid.token)).status).toBe(401);
  });

  it('admits a gateway route only with the gateway secret', async () => {
    const person = await t.env.token('admin-person', [...ROLES]);
    const gatewayRoutes = routes.filter((r) => r.scheme === GATEWAY_SCHEME);
    expect(gatewayRoutes.length).toBe(SCHEME_ROUTES[GATEWAY_SCHEME].length);
    for (const route of gatewayRoutes) {
      for (const [what, token] of [
        ["a person's token with every role", person],
        ['another secret', `${GATEWAY_SECRET}x`],
        ['a prefix of the secret', GATEWAY_SECRET.slice(0, 32)],
      ]) {
        const response = await call(route, token).send({});
        expect({ route: key(route), what, status: response.status }).toEqual({
          route: key(route),
          what,
          status: 401,
        });
      }
      // Past authentication, an empty body is a validation error, not a refusal of the caller.
      const admitted = await call(route, GATEWAY_SECRET).send({});
      expect({ route: key(route), status: admitted.status }).toEqual({ route: key(route), status: 400 });
    }
  });

  it('answers 403 on every other route to a token without one of its roles, and admits one with it', async () => {
    const noRoles = await t.env.token('nobody', []);
    for (const route of routes.filter((r) => !r.isPublic && !r.scheme)) {
      expect(route.roles.length).toBeGreaterThan(0);
      expect({ route: key(route), status: (await call(route, noRoles)).status }).toEqual({
        route: key(route),
        status: 403,
      });
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const response = await call(route, await t.env.token(`only-${role}`, [role]));
        expect({ route: key(route), role, status: response.status }).toEqual({
          route: key(route),
          role,
          status: 403,
        });
      }
      const admitted = await call(route, await t.env.token(`with-${route.roles[0]}`, [route.roles[0]]));
      expect({ route: key(route), status: admitted.status }).not.toEqual({ route: key(route), status: 401 });
      expect([401, 403]).not.toContain(admitted.status);
    }
  });

  /**
   * Item 1 of the airlock's promise: output bytes come only from the workspace, through the collector. A person
   * holding every role, lead of an approved project with a draft output request, sends a table to every route
   * a person's token reaches that accepts a body, in every shape a body can take (a multipart file part with a
   * record, raw bytes, JSON naming the file and its content), with the request's id in every id. Nothing may
   * enter any request and nothing may reach the output store. A route that took bytes from a person (the old
   * multipart upload, POST /outputs/:id/files) stores the table and fails this.
   */
  it('takes output bytes from no person’s token, admins’ included, whatever the body', async () => {
    const everyRole = await t.env.token('all-roles-lead', [...ROLES]);
    const lead = caller(t.app, 'all-roles-lead', everyRole);
    const projectId = await approvedProject(
      lead,
      caller(t.app, 'cara', await t.env.token('cara', ['data_custodian'])),
      [
        caller(t.app, 'dev', await t.env.token('dev', ['dac_member'])),
        caller(t.app, 'dora', await t.env.token('dora', ['dac_member'])),
      ],
    );
    const created = await lead.post('/outputs', { projectId, title: 'Smuggling attempt' });
    expect(created.status).toBe(201);
    const requestId = created.body.id as string;
    const counts = countRecord(
      'age_band',
      'sex',
      ['0-15', '16-64'],
      ['F', 'M'],
      [
        [40, 38],
        [120, 131],
      ],
    );
    const table = Buffer.from(tableCsv(counts));
    const record = JSON.stringify(counts);
    const pathOf = (route: RouteInfo) =>
      route.path.replace(/:(id|requestId)\b/g, requestId).replace(/:[A-Za-z]+/g, () => randomUUID());
    const bodies: [string, (req: request.Test) => request.Test][] = [
      ['multipart', (req) => req.attach('file', table, 'table.csv')],
      ['multipart with a record', (req) => req.attach('file', table, 'table.csv').field('record', record)],
      [
        'multipart, record as a file',
        (req) =>
          req
            .attach('file', table, 'table.csv')
            .attach('record', Buffer.from(record), 'table.csv.record.json'),
      ],
      ['raw bytes', (req) => req.set('Content-Type', 'application/octet-stream').send(table)],
      ['text', (req) => req.set('Content-Type', 'text/csv').send(table.toString())],
      [
        'JSON',
        (req) =>
          req.send({
            fileName: 'table.csv',
            file: table.toString(),
            content: table.toString('base64'),
            record,
          }),
      ],
    ];
    const withBodies = routes.filter(
      (r) => !r.isPublic && !r.scheme && ['POST', 'PUT', 'PATCH'].includes(r.method),
    );
    expect(withBodies.length).toBeGreaterThan(10);
    for (const route of withBodies)
      for (const [, body] of bodies) {
        const agent = request(t.app.getHttpServer());
        const method = route.method.toLowerCase() as 'post' | 'put' | 'patch';
        const response = await body(agent[method](pathOf(route)).set('Authorization', `Bearer ${everyRole}`));
        expect(response.status).toBeLessThan(500);
      }
    const db = t.app.get(DataSource);
    expect(await db.query(`SELECT file_name FROM output_files`)).toEqual([]);
    expect(readdirSync(outputStore, { recursive: true })).toEqual([]);
  });
});
