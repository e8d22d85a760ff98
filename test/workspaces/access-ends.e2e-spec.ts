import { DataSource } from 'typeorm';
import { AuditService } from '@tre/audit';
import { ConflictError, JobQueue } from '@tre/core';
import { setUpTestEnvironment, startFakeKube, type FakeKube, type TestEnvironment } from '@tre/testing';
import {
  CLUSTER_DRIVER,
  KubernetesDriver,
  WORKSPACE_SETTINGS,
  WorkspaceEntity,
  WorkspaceProvisioner,
  WorkspaceReconciler,
  WorkspaceService,
  WorkspaceStore,
  type ClusterDriver,
  type WorkspaceSettings,
} from '@tre/workspaces';
import { TestLoadTokenIssuer } from '../support/test-load-token-issuer';
import { eventually } from '../support/test-worker';
import {
  EXTRACT_ID,
  approvedProject,
  requestWorkspace,
  startWorkspaceWorker,
  workspaceOfApproval,
  type WorkspaceWorker,
} from '../support/workspace-fixtures';

/**
 * Access ends at once when a project ends (only the deletion waits for the grace period), and no reconcile
 * pass, however stale its reading of the rows, ever raises a tool the row no longer allows to run.
 */
describe('access to a workspace ends when it should, against a fake Kubernetes API', () => {
  let env: TestEnvironment;
  let fake: FakeKube;
  let worker: WorkspaceWorker;
  let dataSource: DataSource;
  let byHand: KubernetesDriver;
  const held = new Set<string>();

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'succeed' });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      WORKSPACE_STEP_TIMEOUT_SECONDS: '2',
      // An hour's grace: anything still running during these tests runs because access did not end.
      WORKSPACE_TEARDOWN_GRACE_MINUTES: '60',
    });
    worker = await startWorkspaceWorker(new TestLoadTokenIssuer(), {
      // An approval in `held` has its extract still being built: its provisioning waits at the load step.
      extracts: {
        byApproval: (approvalId) =>
          Promise.resolve({ id: EXTRACT_ID, status: held.has(approvalId) ? 'running' : 'ready' }),
      },
    });
    dataSource = worker.context.get(DataSource);
    byHand = KubernetesDriver.create({ kubeconfigPath: fake.kubeconfigPath });
  });

  afterAll(async () => {
    await worker?.close();
    await fake?.close();
    await env?.teardown();
  });

  const replicasOf = async (namespace: string) =>
    ((await byHand.get('Deployment', namespace, 'tool')) as { spec?: { replicas?: number } } | undefined)
      ?.spec?.replicas;
  const rowOf = (id: string) => dataSource.getRepository(WorkspaceEntity).findOneByOrFail({ id });
  const auditOf = (id: string) =>
    dataSource.query<{ action: string; details: Record<string, unknown> }[]>(
      `SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
      [id],
    );

  async function readyWorkspace(): Promise<{ projectId: string; workspace: WorkspaceEntity }> {
    const approved = await approvedProject(dataSource);
    await requestWorkspace(worker.context, approved.approvalId);
    const workspace = await eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approved.approvalId);
        return row?.state === 'ready' ? row : undefined;
      },
      20_000,
      'the workspace to be ready',
    );
    expect(await replicasOf(workspace.namespace)).toBe(1);
    return { projectId: approved.projectId, workspace };
  }

  async function endProject(projectId: string, status: 'revoked' | 'expired'): Promise<void> {
    await dataSource.query(`UPDATE projects SET status = $2 WHERE id = $1`, [projectId, status]);
    await worker.context.get(JobQueue).enqueue('workspaces.follow-project', { projectId });
  }

  it.each(['revoked', 'expired'] as const)(
    'scales the tool to zero at once when the project is %s; only the deletion waits',
    async (status) => {
      const { projectId, workspace } = await readyWorkspace();
      const started = Date.now();
      await endProject(projectId, status);
      await eventually(
        async () => ((await replicasOf(workspace.namespace)) === 0 ? true : undefined),
        10_000,
        'the tool at zero replicas',
      );
      const seconds = (Date.now() - started) / 1000;
      expect(seconds).toBeLessThan(10);
      const row = await rowOf(workspace.id);
      expect(row.state).toBe('suspended');
      const graceLeft = (row.teardownDueAt?.getTime() ?? 0) - Date.now();
      expect(graceLeft).toBeGreaterThan(55 * 60_000);
      // The namespace, volumes and outputs wait for the grace period.
      expect(await byHand.get('Namespace', undefined, workspace.namespace)).toBeDefined();
      expect(await byHand.get('PersistentVolumeClaim', workspace.namespace, 'outputs')).toBeDefined();
      const audit = await auditOf(workspace.id);
      expect(audit.find((event) => event.action === 'workspace.access_ended')?.details).toMatchObject({
        projectStatus: status,
        state: 'ready',
        teardownDueAt: row.teardownDueAt?.toISOString(),
      });
      expect(audit.find((event) => event.action === 'workspace.suspended')?.details).toMatchObject({
        reason: `project ${status}: access ended`,
      });

      // Nobody brings it back: not a resume, not the reconciler after someone scales it up by hand.
      await expect(worker.context.get(WorkspaceService).resume(workspace.id)).rejects.toThrow(ConflictError);
      const deployment = await byHand.get('Deployment', workspace.namespace, 'tool');
      await byHand.apply({
        ...deployment,
        spec: { ...(deployment?.spec as object), replicas: 1 },
      } as never);
      expect(await replicasOf(workspace.namespace)).toBe(1);
      await worker.context.get(WorkspaceReconciler).reconcile();
      expect(await replicasOf(workspace.namespace)).toBe(0);
      expect((await rowOf(workspace.id)).state).toBe('suspended');
    },
  );

  it('holds the tool of a workspace still being provisioned at zero once its project is revoked', async () => {
    const approved = await approvedProject(dataSource);
    await dataSource.query(`UPDATE projects SET status = 'revoked' WHERE id = $1`, [approved.projectId]);
    await requestWorkspace(worker.context, approved.approvalId);
    await worker.context
      .get(JobQueue)
      .enqueue('workspaces.follow-project', { projectId: approved.projectId });
    const row = await eventually(
      async () => {
        const current = await workspaceOfApproval(worker.context, approved.approvalId);
        return current?.state === 'suspended' && current.steps[0]?.state === 'done' ? current : undefined;
      },
      20_000,
      'the new workspace to be suspended',
    );
    expect(row.teardownDueAt).not.toBeNull();
    expect(await replicasOf(row.namespace)).toBe(0);
  });

  it('creates the tool at zero replicas when access ended before the provisioning reached it', async () => {
    const approved = await approvedProject(dataSource);
    held.add(approved.approvalId);
    // The cluster refuses the Deployment for now, so the provisioning waits before the tool step.
    fake.setFaults({ rules: [{ status: 503, match: { method: 'PATCH', path: /deployments/ } }] });
    try {
      await requestWorkspace(worker.context, approved.approvalId);
      const requested = await eventually(
        async () => {
          const row = await workspaceOfApproval(worker.context, approved.approvalId);
          return row?.steps.find((step) => step.name === 'tool')?.error ? row : undefined;
        },
        20_000,
        'the tool step to meet the refusing cluster',
      );
      await endProject(approved.projectId, 'revoked');
      await eventually(
        async () => ((await rowOf(requested.id)).teardownDueAt ? true : undefined),
        10_000,
        'access to end',
      );
    } finally {
      fake.setFaults({ rules: [] });
    }
    // Past the tool step, waiting for the extract: still provisioning, and the tool never above zero.
    const waiting = await eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approved.approvalId);
        return row?.steps.find((step) => step.name === 'tool')?.state === 'done' ? row : undefined;
      },
      20_000,
      'the tool step to be done',
    );
    expect(waiting.state).toBe('provisioning');
    expect(await replicasOf(waiting.namespace)).toBe(0);
    expect(waiting.steps.find((step) => step.name === 'tool')?.note).toMatch(
      /held at 0: the workspace no longer allows 1/,
    );
    held.delete(approved.approvalId);
    await eventually(
      async () => ((await rowOf(waiting.id)).state === 'suspended' ? true : undefined),
      20_000,
      'the workspace to be suspended once provisioned',
    );
    expect(await replicasOf(waiting.namespace)).toBe(0);
  });

  /**
   * The reconcile pass reads the live rows first; the suspension (or the end of access) commits while it is
   * on its way, and the scale-down job has run, before the pass reaches the tool. A pass that applied the
   * replicas of its first reading would raise the tool back to one.
   */
  it.each(['suspension', 'revocation'] as const)(
    'a %s committed during a reconcile pass is never undone by it',
    async (change) => {
      const { projectId, workspace } = await readyWorkspace();
      const real = worker.context.get<ClusterDriver>(CLUSTER_DRIVER);
      let interleave: (() => Promise<void>) | undefined = async () => {
        if (change === 'suspension') await worker.context.get(WorkspaceService).suspend(workspace.id);
        else await endProject(projectId, 'revoked');
        await eventually(
          async () => ((await replicasOf(workspace.namespace)) === 0 ? true : undefined),
          10_000,
          'the scale-down job to bring the tool to zero',
        );
      };
      // The pass's first cluster call for this workspace (after it has read the rows) lets the change in.
      const hooked: ClusterDriver = Object.assign(Object.create(real) as ClusterDriver, {
        get: async (...args: Parameters<ClusterDriver['get']>) => {
          if (interleave && args[0] === 'Namespace' && args[2] === workspace.namespace) {
            const change = interleave;
            interleave = undefined;
            await change();
          }
          return real.get(...args);
        },
      });
      const reconciler = new WorkspaceReconciler(
        dataSource,
        worker.context.get<WorkspaceSettings>(WORKSPACE_SETTINGS),
        hooked,
        worker.context.get(WorkspaceProvisioner),
        worker.context.get(AuditService),
        worker.context.get(JobQueue),
        worker.context.get(WorkspaceStore),
      );
      const report = await reconciler.reconcile();
      expect(interleave).toBeUndefined();
      expect(report.repairs.filter((repair) => repair.workspaceId === workspace.id)).toEqual([]);
      expect(await replicasOf(workspace.namespace)).toBe(0);
      expect((await rowOf(workspace.id)).state).toBe('suspended');
    },
  );
});
