import { DataSource } from 'typeorm';
import { JobQueue } from '@tre/core';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';
import {
  ClusterError,
  DEVELOPMENT_WORKSPACE_SETTINGS,
  KubernetesDriver,
  LOAD_TOKEN_SECRET_NAME,
  WORKSPACE_OBJECT_NAMES,
  WorkspaceReconciler,
  desiredWorkspaceObjects,
  driftBetween,
  loaderJobName,
  type KubeObject,
  type WorkspaceEntity,
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
import { kubeRequest, provisionerKubeconfig, startLocalKube, stopLocalKube } from './local-kube';

/**
 * The whole provisioner, in the worker, against a real kube-apiserver (1.20, with its controller manager but no
 * kubelet): a workspace provisioned step by step and every object found stored as desired, the quota in force,
 * a policy deleted by hand restored by the reconciler, and the namespace gone after teardown. The loader Job
 * cannot run here, so the test marks it succeeded (as a kubelet would) and the test issuer reports the load.
 * The worker runs as the deployment's `tre-provisioner` service account with the ClusterRole of
 * k8s/base/rbac-provisioner.yaml, so every call it makes is one the deployed RBAC allows; the test's own
 * checks use the admin credentials.
 */
jest.setTimeout(240_000);

describe('workspaces against a real API server', () => {
  let kubeconfigPath: string;
  let env: TestEnvironment;
  let worker: WorkspaceWorker;
  let driver: KubernetesDriver;
  let dataSource: DataSource;
  let workspace: WorkspaceEntity;
  let projectId: string;
  let approvalId: string;
  let kubelet: NodeJS.Timeout | undefined;
  const issuer = new TestLoadTokenIssuer();

  beforeAll(async () => {
    kubeconfigPath = await startLocalKube();
    driver = KubernetesDriver.create({ kubeconfigPath });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: await provisionerKubeconfig(kubeconfigPath),
      WORKSPACE_CLEAR_PVC_FINALIZERS: 'true',
      WORKSPACE_STEP_TIMEOUT_SECONDS: '60',
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      WORKSPACE_TEARDOWN_GRACE_MINUTES: '0',
    });
    worker = await startWorkspaceWorker(issuer, { pollMs: 250 });
    dataSource = worker.context.get(DataSource);
    ({ projectId, approvalId } = await approvedProject(dataSource));
  });

  afterAll(async () => {
    if (kubelet) clearInterval(kubelet);
    await worker?.close();
    await env?.teardown();
    await stopLocalKube();
  });

  /** Stands in for the kubelet: marks the loader Job succeeded once it exists (through the status subresource). */
  function simulateKubelet(namespace: string): void {
    const path = `/apis/batch/v1/namespaces/${namespace}/jobs/${loaderJobName(EXTRACT_ID)}/status`;
    let busy = false;
    kubelet = setInterval(() => {
      if (busy) return;
      busy = true;
      const now = new Date().toISOString();
      kubeRequest(
        kubeconfigPath,
        'PATCH',
        path,
        {
          status: {
            startTime: now,
            completionTime: now,
            succeeded: 1,
            conditions: [{ type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now }],
          },
        },
        'application/merge-patch+json',
      )
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, 300);
  }

  it('provisions a workspace step by step and finds every object stored as desired, and no loader left', async () => {
    await requestWorkspace(worker.context, approvalId);
    const requested = await eventually(() =>
      workspaceOfApproval(worker.context, approvalId).then((r) => r ?? undefined),
    );
    simulateKubelet(requested.namespace);
    workspace = await eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approvalId);
        return row && ['ready', 'failed'].includes(row.state) ? row : undefined;
      },
      180_000,
      'the workspace to be provisioned',
    );
    expect({ state: workspace.state, reason: workspace.failureReason }).toEqual({
      state: 'ready',
      reason: null,
    });
    expect(workspace.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      'namespace:done',
      'network-policies:done',
      'quota-and-limits:done',
      'service-account:done',
      'volumes:done',
      'tool:done',
      'load-extract:done',
    ]);
    const spec = { workspaceId: workspace.id, projectId, size: workspace.size, tool: workspace.tool };
    for (const object of desiredWorkspaceObjects(spec, DEVELOPMENT_WORKSPACE_SETTINGS)) {
      const live = await driver.get(object.kind, object.metadata.namespace, object.metadata.name);
      expect({
        object: `${object.kind}/${object.metadata.name}`,
        uid: typeof live?.metadata.uid,
        drift: driftBetween(object, live),
      }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        uid: 'string',
        drift: [],
      });
    }
    expect(await driver.get('Secret', workspace.namespace, LOAD_TOKEN_SECRET_NAME)).toBeUndefined();
    expect(
      await driver.get('NetworkPolicy', workspace.namespace, WORKSPACE_OBJECT_NAMES.loaderEgressPolicy),
    ).toBeUndefined();
    const job = await driver.get('Job', workspace.namespace, loaderJobName(EXTRACT_ID));
    expect(job === undefined || Boolean(job.metadata.deletionTimestamp)).toBe(true);
    expect(issuer.revoked).toContain(workspace.id);
  });

  it('sees the quota refuse an oversized pod', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'too-big', namespace: workspace.namespace, labels: {} },
      spec: {
        serviceAccountName: WORKSPACE_OBJECT_NAMES.serviceAccount,
        automountServiceAccountToken: false,
        containers: [0, 1].map((i) => ({
          name: `c${i}`,
          image: 'registry.invalid/none:1',
          resources: { requests: { cpu: '1', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } },
        })),
      },
    } as KubeObject;
    let refused: unknown;
    try {
      await driver.apply(pod);
    } catch (error: unknown) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ClusterError);
    expect(refused).toMatchObject({ kind: 'permanent', status: 403 });
    expect((refused as ClusterError).message).toMatch(/exceeded quota/);
  });

  it('restores a NetworkPolicy deleted by hand when the reconciler runs', async () => {
    expect(
      await driver.delete('NetworkPolicy', workspace.namespace, WORKSPACE_OBJECT_NAMES.defaultDenyPolicy),
    ).toBe(true);
    const report = await worker.context.get(WorkspaceReconciler).reconcile();
    expect(report.repairs.map((r) => `${r.kind}/${r.name} ${r.what}`)).toEqual([
      'NetworkPolicy/default-deny missing',
    ]);
    const [desired] = desiredWorkspaceObjects(
      { workspaceId: workspace.id, projectId, size: workspace.size, tool: workspace.tool },
      DEVELOPMENT_WORKSPACE_SETTINGS,
    ).filter((o) => o.metadata.name === WORKSPACE_OBJECT_NAMES.defaultDenyPolicy);
    const restored = await driver.get(
      'NetworkPolicy',
      workspace.namespace,
      WORKSPACE_OBJECT_NAMES.defaultDenyPolicy,
    );
    expect(driftBetween(desired, restored)).toEqual([]);
    const audit = await dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_events WHERE subject_id = $1 AND action = 'workspace.repaired'`,
      [workspace.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('tears the workspace down when the project is revoked: the namespace is gone', async () => {
    await dataSource.query(`UPDATE projects SET status = 'revoked' WHERE id = $1`, [projectId]);
    await worker.context.get(JobQueue).enqueue('workspaces.follow-project', { projectId });
    const deleted = await eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approvalId);
        return row?.state === 'deleted' ? row : undefined;
      },
      150_000,
      'the workspace to be deleted',
    );
    expect(deleted.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(await driver.get('Namespace', undefined, workspace.namespace)).toBeUndefined();
    expect((await driver.listManagedNamespaces()).map((n) => n.metadata.name)).not.toContain(
      workspace.namespace,
    );
  });
});
