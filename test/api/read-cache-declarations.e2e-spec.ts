import { randomUUID } from 'node:crypto';
import { DiscoveryService } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CACHED_READ } from '../../apps/api/src/read-cache/cached-read.decorator';
import { approvedProject } from '../support/output-fixtures';
import { callerAs, type Caller } from '../support/project-fixtures';
import { captureSql, tablesOf, TABLES_SQL, type SqlCapture } from '../support/sql-capture';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Every @CachedRead route names every table its answer is read from: an answer is kept until one of the named
 * tables changes, so a table read but not named would leave it stale. The SQL each route sends is watched (the
 * `pg` client, so TypeORM and raw queries alike), on data that takes every branch the web app's pages take, and
 * a table it names that the declaration lacks fails here. A cached route must write nothing either.
 */
describe('the read cache declarations', () => {
  let t: TestApp;
  let sql: SqlCapture;
  let known: Set<string>;
  const examples: { route: string; as: () => Caller | undefined; url: () => string }[] = [];
  let lead: Caller;
  let dac: Caller;
  let checker: Caller;
  let admin: Caller;
  let projectId: string;
  let outputId: string;
  let workspaceId: string;

  beforeAll(async () => {
    // The cache off: each request runs its handler, so its SQL is there to see.
    t = await startTestApp({ API_READ_CACHE_SECONDS: '0' });
    const dataSource = t.app.get(DataSource);
    known = new Set((await dataSource.query<{ name: string }[]>(TABLES_SQL)).map((row) => row.name));
    lead = await callerAs(t, 'rita', ['researcher']);
    dac = await callerAs(t, 'dev', ['dac_member']);
    checker = await callerAs(t, 'carl', ['output_checker']);
    admin = await callerAs(t, 'ada', ['admin']);
    const custodian = await callerAs(t, 'cara', ['data_custodian']);
    projectId = await approvedProject(lead, custodian, [dac, await callerAs(t, 'dora', ['dac_member'])]);
    // A second application awaiting the committee, so its queue has a row to show.
    await lead.post(`/projects/${(await lead.post('/projects', {})).body.id as string}/submit`);
    outputId = (await lead.post('/outputs', { projectId, title: 'Tables' })).body.id as string;
    await dataSource.query(
      `UPDATE output_requests SET status = 'in_review', round = 1, submitted_at = now() WHERE id = $1`,
      [outputId],
    );
    const [approval] = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM project_approvals WHERE project_id = $1`,
      [projectId],
    );
    workspaceId = randomUUID();
    await dataSource.query(
      `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state) VALUES ($1, $2, $3, 'small', 'jupyterlab', 'ws-decl', 'ready')`,
      [workspaceId, projectId, approval.id],
    );
    sql = captureSql();
  });
  afterAll(async () => {
    sql?.stop();
    await t?.close();
  });

  const anonymous = () => undefined;
  examples.push(
    { route: 'RegisterController.list', as: anonymous, url: () => '/register?pageSize=20' },
    { route: 'RegisterController.entry', as: anonymous, url: () => `/register/${projectId}` },
    { route: 'ProjectsController.list', as: () => lead, url: () => '/projects?scope=mine&pageSize=20' },
    { route: 'ProjectsController.list', as: () => dac, url: () => '/projects?scope=awaiting_review' },
    { route: 'ProjectsController.list', as: () => admin, url: () => '/projects?status=approved' },
    { route: 'ProjectsController.get', as: () => lead, url: () => `/projects/${projectId}` },
    { route: 'ProjectsController.get', as: () => dac, url: () => `/projects/${projectId}` },
    { route: 'ProjectsController.timeline', as: () => lead, url: () => `/projects/${projectId}/timeline` },
    { route: 'ProjectsController.timeline', as: () => dac, url: () => `/projects/${projectId}/timeline` },
    { route: 'OutputsController.list', as: () => lead, url: () => '/outputs?scope=mine&pageSize=20' },
    { route: 'OutputsController.list', as: () => checker, url: () => '/outputs?scope=awaiting_review' },
    { route: 'OutputsController.list', as: () => admin, url: () => `/outputs?projectId=${projectId}` },
    { route: 'OutputsController.detail', as: () => lead, url: () => `/outputs/${outputId}` },
    { route: 'OutputsController.detail', as: () => checker, url: () => `/outputs/${outputId}` },
    { route: 'WorkspacesController.list', as: () => lead, url: () => '/workspaces?pageSize=20' },
    { route: 'WorkspacesController.list', as: () => admin, url: () => '/workspaces' },
    { route: 'WorkspacesController.detail', as: () => lead, url: () => `/workspaces/${workspaceId}` },
    {
      route: 'AuditController.list',
      as: () => admin,
      url: () => '/audit?action=project.approved&pageSize=50',
    },
    {
      route: 'AuditController.list',
      as: () => admin,
      url: () => `/audit?subjectType=project&subjectId=${projectId}`,
    },
    {
      route: 'NotificationsController.list',
      as: () => lead,
      url: () => '/me/notifications?page=1&pageSize=1',
    },
  );

  it('has an example here for every @CachedRead route, each naming tables that exist', () => {
    const cached = declaredRoutes(t);
    expect([...new Set(examples.map((e) => e.route))].sort()).toEqual(cached.map((r) => r.route).sort());
    // A misspelt name would never change: the answer would be kept until it aged out.
    expect(cached.flatMap((r) => r.tables).filter((table) => !known.has(table))).toEqual([]);
  });

  it.each(examples.map((e) => [e.route, e] as const))(
    '%s reads only the tables it names',
    async (_, example) => {
      const declared = declaredRoutes(t).find((r) => r.route === example.route)!.tables;
      const as = example.as();
      const get = () => (as ? as.get(example.url()) : request(t.app.getHttpServer()).get(example.url()));
      // The first call signs the caller in (the guard's own SQL, which runs on every request, cached or not).
      expect((await get()).status).toBe(200);
      const response = await get();
      expect(response.status).toBe(200);
      const statements = sql.statementsOf(response.headers['x-request-id'] as string);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((s) => /^\s*(INSERT|UPDATE|DELETE|TRUNCATE)\b/i.test(s))).toEqual([]);
      const read = [...new Set(statements.flatMap((s) => tablesOf(s, known)))].sort();
      expect(read.filter((table) => !declared.includes(table))).toEqual([]);
    },
  );
});

/** Every handler marked @CachedRead, as `Controller.method`, with the tables it names. */
function declaredRoutes(t: TestApp): { route: string; tables: string[] }[] {
  const routes: { route: string; tables: string[] }[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const prototype = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
    if (!prototype) continue;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function') continue;
      const tables = Reflect.getMetadata(CACHED_READ, handler) as string[] | undefined;
      if (tables) routes.push({ route: `${wrapper.name}.${name}`, tables });
    }
  }
  return routes;
}
