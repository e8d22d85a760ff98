import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { JobQueue } from '@tre/core';
import { setUpTestEnvironment, startFakeKube, type FakeKube, type TestEnvironment } from '@tre/testing';
import {
  DEVELOPMENT_WORKSPACE_SETTINGS,
  KubernetesDriver,
  WorkspaceService,
  buildDefaultDenyPolicy,
  buildNamespace,
  type WorkspaceEntity,
} from '@tre/workspaces';
import { WorkerMetrics } from '../../apps/worker/src/health/worker-metrics';
import { TestLoadTokenIssuer } from '../support/test-load-token-issuer';
import { eventually } from '../support/test-worker';
import {
  approvedProject,
  requestWorkspace,
  startWorkspaceWorker,
  workspaceOfApproval,
  type WorkspaceWorker,
} from '../support/workspace-fixtures';

/** After provisioning: suspend and resume, drift repaired by the reconciler, orphans reported, teardown. */
describe('a workspace after provisioning, against a fake Kubernetes API', () => {
  let env: TestEnvironment;
  let fake: FakeKube;
  let worker: WorkspaceWorker;
  let dataSource: DataSource;
  let byHand: KubernetesDriver;
  let workspace: WorkspaceEntity;
  let projectId: string;

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'succeed' });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      WORKSPACE_STEP_TIMEOUT_SECONDS: '2',
      WORKSPACE_TEARDOWN_GRACE_MINUTES: '0',
    });
    worker = await startWorkspaceWorker(new TestLoadTokenIssuer());
    dataSource = worker.context.get(DataSource);
    byHand = KubernetesDriver.create({ kubeconfigPath: fake.kubeconfigPath });
    const approved = await approvedProject(dataSource);
    projectId = approved.projectId;
    await requestWorkspace(worker.context, approved.approvalId);
    workspace = await eventually(async () => {
      const row = await workspaceOfApproval(worker.context, approved.approvalId);
      return row?.state === 'ready' ? row : undefined;
    });
  });

  afterAll(async () => {
    await worker?.close();
    await fake?.close();
    await env?.teardown();
  });

  const replicas = async () =>
    (
      (await byHand.get('Deployment', workspace.namespace, 'tool')) as
        { spec?: { replicas?: number } } | undefined
    )?.spec?.replicas;
  const row = () =>
    dataSource
      .getRepository('WorkspaceEntity')
      .findOneByOrFail({ id: workspace.id }) as Promise<WorkspaceEntity>;

  it('suspends to zero replicas and resumes to one, keeping the volumes', async () => {
    const service = worker.context.get(WorkspaceService);
    await service.suspend(workspace.id);
    await eventually(async () => ((await replicas()) === 0 ? true : undefined), 10_000, 'zero replicas');
    expect((await row()).steps).toMatchObject([{ name: 'scale-tool-to-zero', state: 'done' }]);
    expect(await byHand.get('PersistentVolumeClaim', workspace.namespace, 'data')).toBeDefined();
    await service.resume(workspace.id);
    await eventually(async () => ((await replicas()) === 1 ? true : undefined), 10_000, 'one replica');
    expect((await row()).state).toBe('ready');
  });

  it('restores a deleted policy and an edited one, auditing and counting each repair', async () => {
    const spec = { workspaceId: workspace.id, projectId, size: workspace.size, tool: workspace.tool };
    await byHand.delete('NetworkPolicy', workspace.namespace, 'allow-gateway-ingress');
    const opened = buildDefaultDenyPolicy(spec, DEVELOPMENT_WORKSPACE_SETTINGS);
    await byHand.apply({
      ...opened,
      spec: { ...opened.spec, egress: [{ to: [], ports: [] }] },
    } as typeof opened);
    // And a namespace labelled as ours that no workspace owns.
    const stray = buildNamespace(
      { ...spec, workspaceId: '11111111-2222-4333-8444-555555555555' },
      DEVELOPMENT_WORKSPACE_SETTINGS,
    );
    await byHand.apply(stray);

    await worker.context.get(JobQueue).enqueue('workspaces.reconcile', {});
    const audit = await eventually(
      async () => {
        const rows = await dataSource.query<
          { action: string; details: { kind?: string; object?: string; what?: string; namespace?: string } }[]
        >(
          `SELECT action, details FROM audit_events WHERE action IN ('workspace.repaired', 'workspace.orphan_namespace_found') ORDER BY seq`,
        );
        return rows.length >= 3 ? rows : undefined;
      },
      15_000,
      'repairs in the audit trail',
    );
    expect(
      audit.map((a) =>
        `${a.action} ${a.details.kind ?? ''}/${a.details.object ?? a.details.namespace} ${a.details.what ?? ''}`.trim(),
      ),
    ).toEqual([
      'workspace.repaired NetworkPolicy/default-deny drifted',
      'workspace.repaired NetworkPolicy/allow-gateway-ingress missing',
      `workspace.orphan_namespace_found /${stray.metadata.name}`,
    ]);
    // The listing names the orphan: it is the event's subject.
    expect(
      await dataSource.query(
        `SELECT subject_type, subject_id FROM audit_events WHERE action = 'workspace.orphan_namespace_found'`,
      ),
    ).toEqual([{ subject_type: 'namespace', subject_id: stray.metadata.name }]);
    const live = (await byHand.get('NetworkPolicy', workspace.namespace, 'default-deny')) as unknown as {
      spec: { egress?: unknown[] };
    };
    expect(live.spec.egress ?? []).toEqual([]);
    expect(await byHand.get('NetworkPolicy', workspace.namespace, 'allow-gateway-ingress')).toBeDefined();
    const metrics = await worker.context.get(WorkerMetrics).registry.metrics();
    expect(metrics).toMatch(/tre_workspace_repairs_total\{kind="NetworkPolicy",app="worker"\} 2/);
    expect(metrics).toMatch(/tre_workspace_orphan_namespaces\{app="worker"\} 1/);
    // The orphan is reported, never deleted.
    expect(await byHand.get('Namespace', undefined, stray.metadata.name)).toBeDefined();
  });

  it('suspends a workspace at once when its project was suspended while it was being provisioned', async () => {
    const other = await approvedProject(dataSource);
    await dataSource.query(`UPDATE projects SET status = 'suspended' WHERE id = $1`, [other.projectId]);
    await requestWorkspace(worker.context, other.approvalId);
    const suspended = await eventually(
      async () => {
        const current = await workspaceOfApproval(worker.context, other.approvalId);
        return current?.state === 'suspended' && current.steps[0]?.state === 'done' ? current : undefined;
      },
      15_000,
      'the new workspace to be suspended',
    );
    const deployment = (await byHand.get('Deployment', suspended.namespace, 'tool')) as unknown as {
      spec: { replicas: number };
    };
    expect(deployment.spec.replicas).toBe(0);
  });

  it('keeps acting on the namespace its row names after the namespace prefix is changed', async () => {
    const settingsFile = join(mkdtempSync(join(tmpdir(), 'tre-ws-settings-')), 'workspaces.json');
    writeFileSync(settingsFile, JSON.stringify({ namespacePrefix: 'tre-renamed-' }));
    process.env.WORKSPACE_SETTINGS_FILE = settingsFile;
    await worker.close();
    worker = await startWorkspaceWorker(new TestLoadTokenIssuer());
    dataSource = worker.context.get(DataSource);
    expect(workspace.namespace.startsWith('tre-renamed-')).toBe(false);

    const service = worker.context.get(WorkspaceService);
    await service.suspend(workspace.id);
    await eventually(async () => ((await replicas()) === 0 ? true : undefined), 10_000, 'zero replicas');
    await service.resume(workspace.id);
    await eventually(async () => ((await replicas()) === 1 ? true : undefined), 10_000, 'one replica');
    await byHand.delete('NetworkPolicy', workspace.namespace, 'allow-gateway-ingress');
    await worker.context.get(JobQueue).enqueue('workspaces.reconcile', {});
    await eventually(
      async () => byHand.get('NetworkPolicy', workspace.namespace, 'allow-gateway-ingress'),
      15_000,
      'the policy restored in the namespace the row names',
    );
    const underNewPrefix = fake.objects().filter((o) => {
      const { name, namespace } = o.metadata as { name: string; namespace?: string };
      return (namespace ?? name).startsWith('tre-renamed-');
    });
    expect(underNewPrefix).toEqual([]);
  });

  it('tears down when the project ends: namespace gone, workspace deleted', async () => {
    await dataSource.query(`UPDATE projects SET status = 'revoked' WHERE id = $1`, [projectId]);
    await worker.context.get(JobQueue).enqueue('workspaces.follow-project', { projectId });
    const deleted = await eventually(
      async () => {
        const current = await row();
        return current.state === 'deleted' ? current : undefined;
      },
      15_000,
      'the workspace to be deleted',
    );
    expect(deleted.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      'revoke-load-grants:done',
      'delete-namespace:done',
      'namespace-gone:done',
    ]);
    expect(await byHand.get('Namespace', undefined, workspace.namespace)).toBeUndefined();
    expect(
      fake.objects().filter((o) => (o.metadata as { namespace?: string }).namespace === workspace.namespace),
    ).toEqual([]);
  });
});
