import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Role } from '@tre/auth';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_WORKSPACE_SETTINGS, WorkspaceService } from '@tre/workspaces';
import {
  application,
  callerAs,
  GP_DATASET,
  HES_DATASET,
  inDays,
  type Caller,
} from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The workspace API over HTTP: who sees what, who may suspend, resume and delete, and the refusals (an unknown
 * size, a tool outside this deployment's allow-list, a suspend of a workspace that is not ready, a resume of a
 * project that is not approved), each a 4xx that changes nothing.
 */
describe('workspaces API', () => {
  let t: TestApp;
  let alice: Caller; // researcher, lead
  let bob: Caller; // researcher, member (accreditation current)
  let carol: Caller; // researcher, member whose accreditation lapses
  let eve: Caller; // researcher, not a member
  let ada: Caller; // admin
  let dataSource: DataSource;
  let projectId: string;
  let workspaceId: string;

  const count = async (table: string) =>
    Number((await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    // This deployment offers JupyterLab and code-server only.
    const file = join(mkdtempSync(join(tmpdir(), 'ws-api-')), 'workspaces.json');
    const toolImages = { ...DEVELOPMENT_WORKSPACE_SETTINGS.toolImages };
    delete toolImages.rstudio;
    writeFileSync(file, JSON.stringify({ toolImages }));
    t = await startTestApp({ WORKSPACE_SETTINGS_FILE: file });
    dataSource = t.app.get(DataSource);
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    alice = await as('alice', ['researcher']);
    bob = await as('bob', ['researcher']);
    carol = await as('carol', ['researcher']);
    eve = await as('eve', ['researcher']);
    ada = await as('ada', ['admin']);
    const cara = await as('cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
  });
  afterAll(() => t.close());

  it("offers the application form exactly this deployment's sizes and tools, each of which the API accepts", async () => {
    expect((await request(t.app.getHttpServer()).get('/workspace-options')).status).toBe(401);
    const res = await alice.get('/workspace-options');
    expect(res.status).toBe(200);
    const options = res.body as {
      sizes: { name: string; cpu: string; memory: string; isDefault: boolean }[];
      tools: { name: string; label: string; isDefault: boolean }[];
    };
    expect(options.sizes.map((s) => s.name)).toEqual(['small', 'medium', 'large']);
    expect(options.sizes[0]).toMatchObject({
      cpu: DEVELOPMENT_WORKSPACE_SETTINGS.sizes.small.cpu,
      memory: DEVELOPMENT_WORKSPACE_SETTINGS.sizes.small.memory,
      isDefault: true,
    });
    // RStudio has no image in this deployment, so it is not offered.
    expect(options.tools.map((tool) => tool.name)).toEqual(['jupyterlab', 'code-server']);
    expect(options.tools.filter((tool) => tool.isDefault)).toHaveLength(1);
    for (const size of options.sizes)
      for (const tool of options.tools) {
        const created = await alice.post(
          '/projects',
          application({ workspace: { size: size.name, tool: tool.name } }),
        );
        expect({ size: size.name, tool: tool.name, status: created.status }).toEqual({
          size: size.name,
          tool: tool.name,
          status: 201,
        });
      }
  });

  it('refuses an unknown size or a tool outside the allow-list at the edge, and stores nothing', async () => {
    const before = await count('projects');
    const size = await alice.post('/projects', application({ workspace: { size: 'huge' } }));
    expect(size.status).toBe(400);
    expect(size.body.message).toMatch(/Workspace size "huge" is not one of small, medium, large/);
    const tool = await alice.post('/projects', application({ workspace: { tool: 'rstudio' } }));
    expect(tool.status).toBe(400);
    expect(tool.body.message).toMatch(/Tool "rstudio" is not on the allow-list \(jupyterlab, code-server\)/);
    const shape = await alice.post('/projects', application({ workspace: { size: 3 } }));
    expect(shape.status).toBe(400);
    expect(await count('projects')).toBe(before);
  });

  it('the approval fixes the workspace asked for', async () => {
    const created = await alice.post(
      '/projects',
      application({
        workspace: { size: 'medium', tool: 'code-server' },
        members: [
          { subject: 'bob', accreditationExpiresOn: inDays(300) },
          { subject: 'carol', accreditationExpiresOn: inDays(300) },
        ],
      }),
    );
    expect(created.status).toBe(201);
    projectId = created.body.id;
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    for (const reviewer of ['dev', 'dora']) {
      const dac = await callerAs(t, reviewer, ['dac_member']);
      expect(
        (await dac.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'fine' })).status,
      ).toBe(200);
    }
    const [approval] = await dataSource.query<{ id: string; workspace: unknown }[]>(
      `SELECT id, workspace FROM project_approvals WHERE project_id = $1`,
      [projectId],
    );
    expect(approval.workspace).toEqual({ size: 'medium', tool: 'code-server' });
    const shown = await alice.get(`/projects/${projectId}`);
    expect(shown.body.approval.workspace).toEqual({ size: 'medium', tool: 'code-server' });
    // What the worker does on project.approved.
    const workspace = await t.app.get(WorkspaceService).requestForApproval(approval.id);
    workspaceId = workspace!.id;
    expect(workspace).toMatchObject({ size: 'medium', tool: 'code-server', state: 'requested' });
  });

  it('shows members their projects workspaces step by step; others see nothing', async () => {
    const own = await bob.get(`/workspaces/${workspaceId}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: workspaceId, projectId, state: 'requested', size: 'medium' });
    // No cluster attached (the manifests driver): the view says so in a typed field and a plain sentence.
    expect(own.body).toMatchObject({
      cluster: 'none',
      clusterTarget: expect.stringMatching(/^no cluster attached: manifests written to \//) as string,
      clusterNotice: expect.stringMatching(/only manifests were written; nothing runs/) as string,
    });
    expect((await bob.get('/workspaces')).body.items.map((w: { id: string }) => w.id)).toEqual([workspaceId]);
    expect((await eve.get(`/workspaces/${workspaceId}`)).status).toBe(404);
    expect((await eve.get('/workspaces')).body).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    expect((await ada.get('/workspaces?pageSize=200')).body.items.map((w: { id: string }) => w.id)).toContain(
      workspaceId,
    );
    const dac = await callerAs(t, 'dev', ['dac_member']);
    expect((await dac.get('/workspaces')).status).toBe(403);
  });

  it('needs a current accreditation', async () => {
    await dataSource.query(
      `UPDATE project_members SET accreditation_expires_on = $2 WHERE project_id = $1 AND subject = 'carol'`,
      [projectId, inDays(-1)],
    );
    const lapsed = await carol.get(`/workspaces/${workspaceId}`);
    expect(lapsed.status).toBe(403);
    expect(lapsed.body.message).toMatch(/accreditation has lapsed/);
    expect((await carol.get('/workspaces')).body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses to suspend a workspace that is not ready (409), changing nothing', async () => {
    const audit = await count('audit_events');
    const refused = await alice.post(`/workspaces/${workspaceId}/suspend`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      'Cannot suspend a workspace that is requested: only a ready workspace can be suspended',
    );
    expect(await count('audit_events')).toBe(audit);
    expect((await alice.get(`/workspaces/${workspaceId}`)).body.state).toBe('requested');
  });

  it('lets the lead suspend a ready workspace, but not a plain member; resume needs an approved project', async () => {
    await dataSource.query(`UPDATE workspaces SET state = 'ready' WHERE id = $1`, [workspaceId]);
    expect((await bob.post(`/workspaces/${workspaceId}/suspend`)).status).toBe(403);
    const suspended = await alice.post(`/workspaces/${workspaceId}/suspend`);
    expect(suspended.status).toBe(202);
    expect(suspended.body).toMatchObject({ state: 'suspended', operation: 'suspend' });
    expect(suspended.body.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).toEqual([
      'scale-tool-to-zero:pending',
    ]);

    // The DAC suspends the project: its workspace may not be resumed meanwhile.
    expect((await ada.post(`/projects/${projectId}/suspend`, { reason: 'audit' })).status).toBe(204);
    const audit = await count('audit_events');
    const notApproved = await alice.post(`/workspaces/${workspaceId}/resume`);
    expect(notApproved.status).toBe(409);
    expect(notApproved.body.message).toMatch(/project is suspended, not approved/);
    expect(await count('audit_events')).toBe(audit);

    expect((await ada.post(`/projects/${projectId}/resume`, { reason: 'done' })).status).toBe(204);
    const resumed = await alice.post(`/workspaces/${workspaceId}/resume`);
    expect(resumed.status).toBe(202);
    expect(resumed.body.state).toBe('ready');
    // Ready, and still plain that nothing runs without a cluster.
    expect(resumed.body).toMatchObject({ cluster: 'none', clusterNotice: expect.any(String) as string });
    const actions = await dataSource.query<{ action: string; actor_id: string }[]>(
      `SELECT action, actor_id FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
      [workspaceId],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'workspace.requested',
      'workspace.suspended',
      'workspace.resumed',
    ]);
  });

  it('refuses (409) to resume a workspace whose access ended, even while its teardown waits', async () => {
    await dataSource.query(
      `UPDATE workspaces SET state = 'suspended', teardown_due_at = now() + interval '1 hour' WHERE id = $1`,
      [workspaceId],
    );
    const audit = await count('audit_events');
    const refused = await alice.post(`/workspaces/${workspaceId}/resume`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^Access to this workspace ended when its project ended/);
    expect(await count('audit_events')).toBe(audit);
    expect((await alice.get(`/workspaces/${workspaceId}`)).body.state).toBe('suspended');
  });

  it('lets only an admin delete, and not twice', async () => {
    expect((await alice.delete(`/workspaces/${workspaceId}`)).status).toBe(403);
    const deleted = await ada.delete(`/workspaces/${workspaceId}`);
    expect(deleted.status).toBe(202);
    expect(deleted.body).toMatchObject({ state: 'deprovisioning', operation: 'teardown' });
    await dataSource.query(`UPDATE workspaces SET state = 'deleted' WHERE id = $1`, [workspaceId]);
    const again = await ada.delete(`/workspaces/${workspaceId}`);
    expect(again.status).toBe(409);
    expect((await ada.get(`/workspaces/${randomId()}`)).status).toBe(404);
    expect((await ada.get('/workspaces/not-a-uuid')).status).toBe(400);
  });
});

const randomId = () => '6f1c8a2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b';
