import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GP_DATASET, HES_DATASET, application, callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { approvedProject } from '../support/workspace-fixtures';

/**
 * Every paged list takes at most 200 items a page (a larger pageSize is a 400 that names the field, never
 * clamped silently), and pages through rows that tie on the sort key without repeating or skipping one.
 */
describe('paged lists', () => {
  let t: TestApp;
  let admin: Caller;
  let alice: Caller;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await callerAs(t, 'ada', ['admin']);
    alice = await callerAs(t, 'alice', ['researcher']);
    // Without the datasets every application is a 400, and a list of undefined ids would compare equal to [].
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
    projectId = (await alice.post('/projects', application())).body.id as string;
  });
  afterAll(() => t.close());

  it.each([
    '/projects',
    '/audit',
    '/register',
    '/datasets',
    '/outputs',
    '/projects/:project/timeline',
    '/workspaces',
    '/projects/:project/extracts',
    '/projects/:project/votes',
    '/me/notifications',
  ])('%s refuses a page of more than 200 with a 400 naming pageSize, and serves 200', async (route) => {
    const path = route.replace(':project', projectId);
    const tooLarge = await admin.get(`${path}?pageSize=201`);
    expect(tooLarge.status).toBe(400);
    expect(Object.keys(tooLarge.body.details.fields)).toEqual(['pageSize']);
    const largest = await admin.get(`${path}?pageSize=200`);
    expect(largest.status).toBe(200);
    expect(largest.body.items.length).toBeLessThanOrEqual(200);
  });

  it('pages projects updated in the same instant in one order, each once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await alice.post('/projects', application());
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    // One row at a time, highest id first, so the rows' physical order is the reverse of the tiebreaker's.
    // (On this small table the planner happened to return the ties in id order even without the tiebreaker, so
    // this guards the property rather than proving the fix; ORDER BY alone never promises an order for ties.)
    const dataSource = t.app.get(DataSource);
    for (const id of [...ids].sort().reverse())
      await dataSource.query(`UPDATE projects SET updated_at = '2026-01-01T00:00:00Z' WHERE id = $1`, [id]);
    const seen: string[] = [];
    // The project made in beforeAll was updated later, so it comes first; the six ties follow in id order.
    for (let page = 2; page <= ids.length + 1; page++) {
      const response = await alice.get(`/projects?pageSize=1&page=${page}`);
      expect(response.status).toBe(200);
      seen.push(...(response.body.items as { id: string }[]).map((p) => p.id));
    }
    expect(seen).toEqual([...ids].sort());
  });

  it('walks /audit by its keyset cursor, newest first, each event once, the same as by page', async () => {
    for (let i = 0; i < 5; i++) await alice.patch(`/projects/${projectId}`, { title: `Title ${i}` });
    const byPage: number[] = [];
    const first = await admin.get('/audit?pageSize=200');
    const total = first.body.total as number;
    for (let page = 1; (page - 1) * 3 < total; page++)
      byPage.push(
        ...((await admin.get(`/audit?pageSize=3&page=${page}`)).body.items as { seq: number }[]).map(
          (e) => e.seq,
        ),
      );
    const byCursor: number[] = [];
    let cursor: number | null = null;
    do {
      const response = await admin.get(`/audit?pageSize=3${cursor === null ? '' : `&beforeSeq=${cursor}`}`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(total);
      byCursor.push(...(response.body.items as { seq: number }[]).map((e) => e.seq));
      cursor = response.body.nextBeforeSeq as number | null;
    } while (cursor !== null && byCursor.length <= total); // bounded: a cursor that is ignored never ends
    expect(byCursor.length).toBe(total);
    expect(new Set(byCursor).size).toBe(total);
    expect(byCursor).toEqual([...byCursor].sort((a, b) => b - a));
    expect(byCursor).toEqual(byPage);
  });

  it('a cursor walk repeats nothing when events are written between its pages; page numbers would', async () => {
    const start = (await admin.get('/audit?pageSize=200')).body.items as { seq: number }[];
    const first = (await admin.get('/audit?pageSize=3')).body;
    const firstNumbered = (await admin.get('/audit?pageSize=3&page=1')).body.items as { seq: number }[];
    for (let i = 0; i < 2; i++) await alice.patch(`/projects/${projectId}`, { title: `Moved on ${i}` });
    const second = (await admin.get(`/audit?pageSize=3&beforeSeq=${first.nextBeforeSeq}`)).body;
    const walked = [...first.items, ...second.items].map((e: { seq: number }) => e.seq);
    expect(walked).toEqual(start.slice(0, 6).map((e) => e.seq));
    // The same two pages by number: the new events push page 2 back over what page 1 already showed.
    const secondNumbered = (await admin.get('/audit?pageSize=3&page=2')).body.items as { seq: number }[];
    expect(secondNumbered.map((e) => e.seq)).toEqual(
      firstNumbered
        .slice(1)
        .map((e) => e.seq)
        .concat(start[3].seq),
    );
  });

  it('refuses a cursor beside a page number, and a cursor that is not a positive integer', async () => {
    for (const query of ['beforeSeq=5&page=2', 'beforeSeq=0', 'beforeSeq=x'])
      expect(Object.keys((await admin.get(`/audit?${query}`)).body.details.fields)).toEqual(['beforeSeq']);
  });

  it("pages a project's timeline oldest first, each event once", async () => {
    const whole = (await alice.get(`/projects/${projectId}/timeline?pageSize=200`)).body;
    expect(whole.total).toBeGreaterThanOrEqual(6);
    const seen: number[] = [];
    for (let page = 1; (page - 1) * 4 < whole.total; page++) {
      const response = await alice.get(`/projects/${projectId}/timeline?pageSize=4&page=${page}`);
      expect(response.body).toMatchObject({ page, pageSize: 4, total: whole.total });
      seen.push(...(response.body.items as { seq: number }[]).map((e) => e.seq));
    }
    expect(seen).toEqual((whole.items as { seq: number }[]).map((e) => e.seq));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(whole.total);
  });

  // The timeline asks whether the caller may see the project in the page's own statement: a closed gate is a 404,
  // an empty page (past the end, or a history with nothing the caller may see) is not.
  it("answers a project's timeline only to who may see the project (404 otherwise), past the end too", async () => {
    const eve = await callerAs(t, 'eve', ['researcher']);
    const dac = await callerAs(t, 'dev', ['dac_member']);
    const whole = (await alice.get(`/projects/${projectId}/timeline?pageSize=200`)).body;
    for (const [who, page] of [
      [eve, 1],
      [eve, 9],
      [dac, 1], // a draft: not before it is submitted
    ] as const) {
      const refused = await who.get(`/projects/${projectId}/timeline?page=${page}`);
      expect(refused.status).toBe(404);
      expect(refused.body.message).toBe(`Project ${projectId} was not found`);
    }
    expect((await admin.get(`/projects/${randomUUID()}/timeline`)).status).toBe(404);
    const past = await alice.get(`/projects/${projectId}/timeline?pageSize=200&page=5`);
    expect(past.status).toBe(200);
    expect(past.body).toEqual({
      items: [],
      page: 5,
      pageSize: 200,
      total: whole.total,
      totalIsLowerBound: false,
    });
    // A dataset's history has no gate but the seals.
    expect((await admin.get(`/datasets/${GP_DATASET.code}/history`)).body.total).toBeGreaterThanOrEqual(1);
  });

  // These lists read their total in the page's own query; a page past the end has no row to carry it and counts
  // on its own.
  it('a page past the end is empty and still says the total (register, projects, /audit, a timeline)', async () => {
    await approvedProject(t.app.get(DataSource));
    const paths = [
      '/register',
      '/projects?scope=all',
      `/audit?subjectType=project&subjectId=${projectId}`,
      `/projects/${projectId}/timeline`,
    ];
    for (const path of paths) {
      const whole = (await admin.get(`${path}${path.includes('?') ? '&' : '?'}pageSize=200`)).body;
      expect(whole.total).toBeGreaterThanOrEqual(1);
      expect(whole.items).toHaveLength(whole.total);
      const past = await admin.get(`${path}${path.includes('?') ? '&' : '?'}pageSize=200&page=2`);
      expect(past.status).toBe(200);
      expect(past.body).toMatchObject({ items: [], page: 2, total: whole.total });
    }
  });

  it('pages workspaces created in the same instant newest first, ties by id, each once', async () => {
    const dataSource = t.app.get(DataSource);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { projectId: project, approvalId } = await approvedProject(dataSource);
      const id = randomUUID();
      await dataSource.query(
        `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state, created_at)
         VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready', '2026-01-01T00:00:00Z')`,
        [id, project, approvalId, `ws-paging-${i}`],
      );
      ids.push(id);
    }
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const response = await admin.get(`/workspaces?pageSize=2&page=${page}`);
      expect(response.body).toMatchObject({ page, pageSize: 2, total: 5 });
      seen.push(...(response.body.items as { id: string }[]).map((w) => w.id));
    }
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it("pages a project's extracts made in the same instant newest first, ties by id, each once", async () => {
    const dataSource = t.app.get(DataSource);
    const { projectId: project } = await approvedProject(dataSource);
    const ids: string[] = [];
    for (let version = 2; version <= 6; version++) {
      const approvalId = randomUUID();
      await dataSource.query(
        `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions, end_date, approver_ids, approved_at, workspace)
         SELECT $1, project_id, $2, 1, datasets, conditions, end_date, approver_ids, now(), workspace
         FROM project_approvals WHERE project_id = $3 AND approval_version = 1`,
        [approvalId, version, project],
      );
      const [row] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO extracts (project_id, approval_id, status, key_version, created_at)
         VALUES ($1, $2, 'ready', 1, '2026-01-01T00:00:00Z') RETURNING id`,
        [project, approvalId],
      );
      ids.push(row.id);
    }
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const response = await admin.get(`/projects/${project}/extracts?pageSize=2&page=${page}`);
      expect(response.body).toMatchObject({ page, pageSize: 2, total: 5 });
      seen.push(...(response.body.items as { id: string }[]).map((e) => e.id));
    }
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it("pages a project's votes cast in the same instant by id, each once; a blind review counts none", async () => {
    const dataSource = t.app.get(DataSource);
    const { projectId: project } = await approvedProject(dataSource);
    const byVoteId: [string, string][] = [];
    for (let i = 0; i < 5; i++) {
      const reviewer = randomUUID();
      const [row] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO dac_votes (project_id, application_version, reviewer_id, decision, comment, created_at)
         VALUES ($1, 1, $2, 'approve', 'ok', '2026-01-01T00:00:00Z') RETURNING id`,
        [project, reviewer],
      );
      byVoteId.push([row.id, reviewer]);
    }
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const response = await admin.get(`/projects/${project}/votes?pageSize=2&page=${page}`);
      expect(response.body).toMatchObject({ blind: false, page, pageSize: 2, total: 5 });
      seen.push(...(response.body.items as { reviewerId: string }[]).map((v) => v.reviewerId));
    }
    expect(seen).toEqual(byVoteId.sort(([a], [b]) => (a < b ? -1 : 1)).map(([, reviewer]) => reviewer));
    // While the review is blind, the admin (who cast none of these) sees no vote, and no count of them either.
    await dataSource.query(`UPDATE projects SET status = 'in_review' WHERE id = $1`, [project]);
    expect((await admin.get(`/projects/${project}/votes`)).body).toMatchObject({
      blind: true,
      items: [],
      total: 0,
    });
  });

  // Counting every match read every row with its per-row checks (the checkers' queue: 1,818 requests for a page
  // of 20); each list now counts up to 1,000, as /audit does, and says when its total is only a lower bound.
  it("the checkers' queue, the register, the projects and a timeline count up to 1,000, then say so", async () => {
    const dataSource = t.app.get(DataSource);
    const { projectId: busy } = await approvedProject(dataSource);
    await dataSource.query(
      `INSERT INTO output_requests (project_id, author_id, title, status, round)
       SELECT $1, gen_random_uuid(), 'queued ' || n, 'in_review', 1 FROM generate_series(1, 1001) n`,
      [busy],
    );
    await dataSource.query(
      `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status, requested_end_date, end_date, approved_at)
       SELECT gen_random_uuid(), 'Bulk ' || n, 'lay', 'purpose', 'benefit', 'Org', gen_random_uuid(), 'approved', '2099-01-01', '2099-01-01', now()
       FROM generate_series(1, 1001) n`,
    );
    await dataSource.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
       SELECT m.seq + n, now(), 'system:test', 'test.timeline', 'project', $1, '{}', repeat('0', 64),
              encode(sha256(('timeline-' || m.seq + n)::bytea), 'hex')
       FROM (SELECT max(seq) AS seq FROM audit_events) m, generate_series(1, 1001) n`,
      [busy],
    );
    const carl = await callerAs(t, 'carl', ['output_checker']);
    const lists = [
      await carl.get('/outputs?scope=awaiting_review&pageSize=5'),
      await admin.get('/register?pageSize=5'),
      await admin.get('/projects?scope=all&pageSize=5'),
      await admin.get(`/projects/${busy}/timeline?pageSize=5`),
    ];
    for (const list of lists) {
      expect(list.body).toMatchObject({ total: 1000, totalIsLowerBound: true });
      expect(list.body.items).toHaveLength(5);
    }
    // Narrowed below the bound, the same lists count exactly.
    const narrowed = [
      await admin.get(`/outputs?scope=all&projectId=${projectId}`),
      await admin.get('/register?q=Workspace'),
      await admin.get('/projects?scope=all&status=draft'),
      await admin.get(`/projects/${projectId}/timeline`),
    ];
    for (const list of narrowed) {
      expect(list.status).toBe(200);
      expect(list.body.totalIsLowerBound).toBe(false);
      expect(list.body.total).toBe(list.body.items.length);
    }
    // A page past the end counts on its own, up to the same bound.
    const past = await carl.get('/outputs?scope=awaiting_review&pageSize=200&page=7');
    expect(past.body).toMatchObject({ items: [], total: 1000, totalIsLowerBound: true });
  });

  // Last: the rows written here are not a valid chain (nothing in this file verifies it).
  it('/audit counts matches up to 1,000 and then says the total is a lower bound; fewer are counted exactly', async () => {
    await t.app.get(DataSource).query(
      `INSERT INTO audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash, hash)
       SELECT m.seq + n, now(), 'system:test', 'test.bulk', 'test', (n % 2)::text, '{}', repeat('0', 64),
              encode(sha256(('bulk-' || m.seq + n)::bytea), 'hex')
       FROM (SELECT max(seq) AS seq FROM audit_events) m, generate_series(1, 1005) n`,
    );
    const many = (await admin.get('/audit?action=test.bulk&pageSize=5')).body;
    expect(many).toMatchObject({ total: 1000, totalIsLowerBound: true });
    expect(many.items).toHaveLength(5);
    const few = (
      await admin.get('/audit?action=test.bulk&subjectType=test&subjectId=1&beforeSeq=9999999&pageSize=5')
    ).body;
    expect(few).toMatchObject({ total: 503, totalIsLowerBound: false });
    const exact = (await admin.get(`/audit?actorId=ada&pageSize=5`)).body;
    expect(exact.totalIsLowerBound).toBe(false);
  });
});
