import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { ProjectReader } from '@tre/projects';
import {
  CLUSTER_DRIVER,
  clusterAttached,
  clusterFacts,
  WorkspaceEntity,
  type ClusterDriver,
} from '@tre/workspaces';
import { callerAs, inDays, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { approvedProject } from '../support/workspace-fixtures';

/**
 * `GET /workspaces` and `GET /workspaces/:id` are prepared statements read raw. Their answers must be, byte for
 * byte, what the entity read through TypeORM gave (the reference below is that read: the caller's current
 * projects, then `findAndCount` of their workspaces newest first, ties by id), on rows that take every branch
 * of the visibility rule (a declared accreditation, one the register lapses, one the register renews, no
 * membership) and every column's awkward values (steps, microseconds, nulls, quotes and non-ASCII text).
 */
describe('workspace reads, byte for byte', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let rhea: Caller; // researcher, no record in the register: the declared expiries decide
  let remy: Caller; // researcher the register holds current past his declared expiry
  let lena: Caller; // researcher the register has lapsed, before her declared expiry
  let ada: Caller; // admin
  const byProject: Record<'declared' | 'declared2' | 'lapsed' | 'renewed' | 'stranger', string> = {
    declared: '',
    declared2: '',
    lapsed: '',
    renewed: '',
    stranger: '',
  };
  const workspaceOf: Record<string, string> = {};

  beforeAll(async () => {
    // The cache off: every request runs its handler, so every answer compared here is read afresh.
    t = await startTestApp({ API_READ_CACHE_SECONDS: '0' });
    dataSource = t.app.get(DataSource);
    rhea = await callerAs(t, 'rhea', ['researcher']);
    remy = await callerAs(t, 'remy', ['researcher']);
    lena = await callerAs(t, 'lena', ['researcher']);
    ada = await callerAs(t, 'ada', ['admin']);
    const steps = [
      {
        name: 'create-namespace',
        state: 'done',
        attempts: 2,
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.500Z',
        error: null,
        nextRetryAt: null,
        note: 'namespace "tre-ws-1" — made',
      },
      {
        name: 'load-extract',
        state: 'failed',
        attempts: 1,
        startedAt: '2026-01-01T00:00:02.000Z',
        finishedAt: null,
        error: 'sha256 mismatch: a\\b "c"',
        nextRetryAt: '2026-01-01T00:05:00.000Z',
        note: null,
      },
    ];
    const tied = '2026-02-03T04:05:06.789123Z';
    const rows: [keyof typeof byProject, string, Record<string, unknown>][] = [
      [
        'declared',
        tied,
        {
          state: 'failed',
          operation: 'provision',
          steps,
          failure_reason: 'quota «exceeded»',
          cleanup_pending: true,
        },
      ],
      [
        'declared2',
        tied,
        { state: 'suspended', operation: 'suspend', teardown_due_at: '2026-03-01T10:00:00.123456Z' },
      ],
      ['lapsed', '2026-02-04T00:00:00Z', { state: 'ready' }],
      ['renewed', tied, { state: 'requested' }],
      ['stranger', '2026-02-05T00:00:00Z', { state: 'ready' }],
    ];
    for (const [key, createdAt, columns] of rows) {
      const { projectId, approvalId } = await approvedProject(dataSource);
      byProject[key] = projectId;
      const id = randomUUID();
      workspaceOf[key] = id;
      await dataSource.query(
        `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state, operation, steps,
                                 failure_reason, cleanup_pending, teardown_due_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'medium', 'code-server', $4, $5, $6, $7, $8, $9, $10, $11, $11::timestamptz + interval '1.234567 s')`,
        [
          id,
          projectId,
          approvalId,
          `ws-reads-${key}`,
          columns.state,
          columns.operation ?? null,
          JSON.stringify(columns.steps ?? []),
          columns.failure_reason ?? null,
          columns.cleanup_pending ?? false,
          columns.teardown_due_at ?? null,
          createdAt,
        ],
      );
    }
    const member = (subject: string, key: keyof typeof byProject, expires: string) =>
      dataSource.query(
        `INSERT INTO project_members (project_id, subject, role, accreditation_expires_on) VALUES ($1, $2, 'member', $3)`,
        [byProject[key], subject, expires],
      );
    await member('rhea', 'declared', inDays(30));
    await member('rhea', 'declared2', inDays(30));
    await member('rhea', 'lapsed', inDays(-1));
    await member('remy', 'renewed', inDays(-30));
    await member('remy', 'declared', inDays(30));
    await member('lena', 'declared2', inDays(30));
    await member('lena', 'renewed', inDays(30));
    // The register decides where it has a record: current past the declared expiry, or lapsed before it.
    for (const [subject, state] of [
      ['remy', 'current'],
      ['lena', 'lapsed'],
    ])
      await dataSource.query(
        `INSERT INTO accreditations (subject, expires_on, reference, state, updated_by)
         VALUES ($1, $2, 'REF-1', $3, $4)`,
        [subject, inDays(60), state, randomUUID()],
      );
  });
  afterAll(() => t.close());

  /** The workspace view as the entity read gave it, field by field in the answer's order. */
  const viewOf = (row: WorkspaceEntity) => {
    const driver = t.app.get<ClusterDriver>(CLUSTER_DRIVER);
    return {
      id: row.id,
      projectId: row.projectId,
      approvalId: row.approvalId,
      size: row.size,
      tool: row.tool,
      namespace: row.namespace,
      state: row.state,
      operation: row.operation,
      steps: row.steps,
      progress: {
        done: row.steps.filter((step) => step.state === 'done' || step.state === 'skipped').length,
        total: row.steps.length,
      },
      failureReason: row.failureReason,
      cleanupPending: row.cleanupPending,
      teardownDueAt: row.teardownDueAt?.toISOString() ?? null,
      ...clusterFacts(clusterAttached(driver), driver.describe()),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  };

  /** The page as the entity read made it: the caller's current projects, then `findAndCount`. */
  const referencePage = async (subject: string | undefined, page: number, pageSize: number) => {
    const current =
      subject === undefined ? undefined : await t.app.get(ProjectReader).currentProjectIdsOf(subject);
    // No current project: nothing was read, and the page was empty with a total of 0.
    if (current?.length === 0) return JSON.stringify({ items: [], total: 0, page, pageSize });
    const [rows, total] = await dataSource.getRepository(WorkspaceEntity).findAndCount({
      where: current && { projectId: In(current) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return JSON.stringify({ items: rows.map(viewOf), total, page, pageSize });
  };

  it('gives each researcher the same list, page by page, as the entity read', async () => {
    const expectedIds = {
      rhea: [workspaceOf.declared, workspaceOf.declared2],
      remy: [workspaceOf.renewed, workspaceOf.declared],
      lena: [],
    };
    for (const [who, as] of [
      ['rhea', rhea],
      ['remy', remy],
      ['lena', lena],
    ] as const) {
      const whole = await as.get('/workspaces');
      expect(whole.status).toBe(200);
      expect(whole.text).toBe(await referencePage(who, 1, 50));
      expect((whole.body.items as { id: string }[]).map((w) => w.id).sort()).toEqual(expectedIds[who].sort());
      for (const page of [1, 2, 3]) {
        const paged = await as.get(`/workspaces?pageSize=1&page=${page}`);
        expect(paged.text).toBe(await referencePage(who, page, 1));
      }
    }
  });

  it('gives an admin the same list as the entity read, past the end too', async () => {
    for (const [page, pageSize] of [
      [1, 50],
      [1, 2],
      [2, 2],
      [9, 2],
    ]) {
      const response = await ada.get(`/workspaces?page=${page}&pageSize=${pageSize}`);
      expect(response.status).toBe(200);
      expect(response.text).toBe(await referencePage(undefined, page, pageSize));
    }
  });

  it('gives the same detail as the entity read, to a current member and to an admin', async () => {
    const repository = dataSource.getRepository(WorkspaceEntity);
    for (const [key, as] of [
      ['declared', rhea],
      ['declared2', rhea],
      ['renewed', remy],
    ] as const) {
      const expected = JSON.stringify(viewOf(await repository.findOneByOrFail({ id: workspaceOf[key] })));
      expect((await as.get(`/workspaces/${workspaceOf[key]}`)).text).toBe(expected);
      expect((await ada.get(`/workspaces/${workspaceOf[key]}`)).text).toBe(expected);
    }
  });

  it('refuses as before: 403 to a lapsed member, 404 to a stranger and for no such workspace', async () => {
    for (const [as, key] of [
      [rhea, 'lapsed'],
      [lena, 'declared2'],
    ] as const) {
      const lapsed = await as.get(`/workspaces/${workspaceOf[key]}`);
      expect(lapsed.status).toBe(403);
      expect(lapsed.text).toContain(
        '"message":"Your accreditation has lapsed: renew it to reach this workspace"',
      );
    }
    expect((await rhea.get(`/workspaces/${workspaceOf.stranger}`)).status).toBe(404);
    expect((await remy.get(`/workspaces/${workspaceOf.declared2}`)).status).toBe(404);
    expect((await ada.get(`/workspaces/${workspaceOf.stranger}`)).status).toBe(200);
    expect((await ada.get(`/workspaces/${randomUUID()}`)).status).toBe(404);
    // A researcher with no current project: an empty first page and an empty page past it, both counting 0.
    const ivo = await callerAs(t, 'ivo', ['researcher']);
    expect((await ivo.get('/workspaces')).text).toBe('{"items":[],"total":0,"page":1,"pageSize":50}');
    expect((await ivo.get('/workspaces?page=3&pageSize=5')).text).toBe(
      '{"items":[],"total":0,"page":3,"pageSize":5}',
    );
  });
});
