import { DataSource } from 'typeorm';
import { setUpTestEnvironment, startFakeKube, type FakeKube, type TestEnvironment } from '@tre/testing';
import {
  DEVELOPMENT_WORKSPACE_SETTINGS,
  OperationSuperseded,
  PROVISION_STEP_NAMES,
  WorkspaceReconciler,
  WorkspaceStore,
  desiredWorkspaceObjects,
  type WorkspaceEntity,
} from '@tre/workspaces';
import { TestLoadTokenIssuer } from '../support/test-load-token-issuer';
import { eventually } from '../support/test-worker';
import {
  approvedProject,
  requestWorkspace,
  startWorkspaceWorker,
  workspaceOfApproval,
  type WorkspaceWorker,
} from '../support/workspace-fixtures';

/**
 * The provisioner in the worker, against the fake Kubernetes API with latency and faults: what it stores,
 * what it retries, what it records, what it cleans up.
 */
describe('workspace provisioning against a fake Kubernetes API', () => {
  let env: TestEnvironment;
  let fake: FakeKube;
  let worker: WorkspaceWorker;
  let dataSource: DataSource;
  const issuer = new TestLoadTokenIssuer();

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'succeed' });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      WORKSPACE_STEP_TIMEOUT_SECONDS: '2',
    });
    worker = await startWorkspaceWorker(issuer);
    dataSource = worker.context.get(DataSource);
  });

  afterAll(async () => {
    await worker?.close();
    await fake?.close();
    await env?.teardown();
  });

  const settled = (approvalId: string, states: string[]) =>
    eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approvalId);
        // A failed row is settled once its cleanup has run: the reason is written after the namespace goes.
        if (row?.state === 'failed' && row.failureReason === null) return undefined;
        return row && states.includes(row.state) ? row : undefined;
      },
      30_000,
      `workspace of ${approvalId} in ${states.join('/')}`,
    );

  /** Paths the fake answered 201 Created for: each object must be created once at most. */
  function creations(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of fake.calls()) {
      if (call.outcome === 201) counts.set(call.path, (counts.get(call.path) ?? 0) + 1);
    }
    return counts;
  }

  function objectsIn(namespace: string) {
    return fake
      .objects()
      .filter((o) => {
        const metadata = o.metadata as { name: string; namespace?: string };
        return metadata.namespace === namespace || (o.kind === 'Namespace' && metadata.name === namespace);
      })
      .map((o) => `${String(o.kind)}/${(o.metadata as { name: string }).name}`)
      .sort();
  }

  it('provisions through latency, 409s, 500s and dropped connections: ready, every object once, the load cleaned up', async () => {
    fake.setFaults({
      seed: 7,
      rules: [
        { latencyMs: 20 },
        { status: 500, probability: 0.1 },
        { status: 409, probability: 0.05, match: { method: 'PATCH' } },
        { drop: 'after', probability: 0.05 },
        { drop: 'before', probability: 0.05 },
      ],
    });
    const { projectId, approvalId } = await approvedProject(dataSource, { size: 'medium', tool: 'rstudio' });
    await requestWorkspace(worker.context, approvalId);
    const workspace = await settled(approvalId, ['ready', 'failed']);
    fake.setFaults({ rules: [] });

    expect(workspace.state).toBe('ready');
    expect(workspace.steps.map((s) => [s.name, s.state])).toEqual([
      ['namespace', 'done'],
      ['network-policies', 'done'],
      ['quota-and-limits', 'done'],
      ['service-account', 'done'],
      ['volumes', 'done'],
      ['tool', 'done'],
      ['load-extract', 'done'],
    ]);
    expect(workspace.steps.every((s) => s.startedAt && s.finishedAt && s.attempts >= 1)).toBe(true);
    expect(workspace.steps[6].note).toMatch(/3 file\(s\), 4096 bytes verified/);

    // Exactly the steady state: no loader Job, token Secret or way out left behind.
    const desired = desiredWorkspaceObjects(
      { workspaceId: workspace.id, projectId, size: 'medium', tool: 'rstudio' },
      DEVELOPMENT_WORKSPACE_SETTINGS,
    )
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    expect(objectsIn(workspace.namespace)).toEqual(desired);
    expect([...creations().values()].every((count) => count === 1)).toBe(true);
    expect(issuer.issued.filter((s) => s.workspaceId === workspace.id).length).toBeGreaterThanOrEqual(1);
    expect(issuer.revoked).toContain(workspace.id);

    const audit = await dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
      [workspace.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'workspace.requested',
      'workspace.provisioning',
      'workspace.ready',
    ]);
    const events = await dataSource.query<{ type: string }[]>(
      `SELECT type FROM domain_events WHERE aggregate_id = $1 ORDER BY id`,
      [workspace.id],
    );
    expect(events.map((e) => e.type)).toEqual(['workspace.requested', 'workspace.ready']);
  });

  it('a repeated request and a repeated provision job change nothing', async () => {
    const { approvalId } = await approvedProject(dataSource);
    await requestWorkspace(worker.context, approvalId);
    const workspace = await settled(approvalId, ['ready']);
    const writesBefore = fake.calls().filter((c) => c.method !== 'GET').length;
    const { JobQueue } = await import('@tre/core');
    const jobs = worker.context.get(JobQueue);
    await jobs.requeue('workspaces.provision', { workspaceId: workspace.id });
    await jobs.requeue('workspaces.request', { approvalId });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fake.calls().filter((c) => c.method !== 'GET').length).toBe(writesBefore);
    const rows = await dataSource.query<unknown[]>(`SELECT id FROM workspaces WHERE approval_id = $1`, [
      approvalId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('shows a refusing cluster as provisioning with the failing step, its error and next retry; then recovers', async () => {
    fake.setFaults({ rules: [{ status: 503, match: { path: /resourcequotas/ } }] });
    const { approvalId } = await approvedProject(dataSource);
    await requestWorkspace(worker.context, approvalId);
    const waiting = await eventually(
      async () => {
        const row = await workspaceOfApproval(worker.context, approvalId);
        const step = row?.steps.find((s) => s.name === 'quota-and-limits');
        return row && step?.state === 'pending' && step.error ? row : undefined;
      },
      20_000,
      'the quota step to wait for a retry',
    );
    const step = waiting.steps.find((s) => s.name === 'quota-and-limits')!;
    expect(waiting.state).toBe('provisioning');
    expect(step.error).toMatch(/503 ServiceUnavailable/);
    expect(Date.parse(step.nextRetryAt ?? '')).toBeGreaterThan(Date.now() - 1_000);
    expect(step.attempts).toBeGreaterThanOrEqual(4);
    fake.setFaults({ rules: [] });
    const ready = await settled(approvalId, ['ready']);
    expect(ready.steps.find((s) => s.name === 'namespace')?.attempts).toBe(1);
  });

  it('fails on a permanent error (422) and deletes the namespace with everything it made', async () => {
    fake.setFaults({ rules: [{ status: 422, match: { method: 'PATCH', path: /deployments/ } }] });
    const { approvalId } = await approvedProject(dataSource);
    await requestWorkspace(worker.context, approvalId);
    const failed: WorkspaceEntity = await settled(approvalId, ['failed', 'ready']);
    fake.setFaults({ rules: [] });
    expect(failed.state).toBe('failed');
    const tool = failed.steps.find((s) => s.name === 'tool')!;
    expect(tool).toMatchObject({ state: 'failed', attempts: 1 });
    expect(tool.error).toMatch(/422 Invalid/);
    expect(failed.steps.find((s) => s.name === 'load-extract')?.state).toBe('pending');
    expect(failed.cleanupPending).toBe(false);
    expect(failed.failureReason).toMatch(/step tool/);
    expect(objectsIn(failed.namespace)).toEqual([]);
  });

  it('records a namespace it could not delete for the reconciler, which deletes it later: never a namespace nobody owns', async () => {
    fake.setFaults({
      rules: [
        { status: 422, match: { method: 'PATCH', path: /deployments/ } },
        { status: 500, match: { method: 'DELETE', path: /^\/api\/v1\/namespaces\/[^/]+$/ } },
      ],
    });
    const { approvalId } = await approvedProject(dataSource);
    await requestWorkspace(worker.context, approvalId);
    const failed = await settled(approvalId, ['failed', 'ready']);
    expect(failed).toMatchObject({ state: 'failed', cleanupPending: true });
    expect(failed.failureReason).toMatch(/cleanup pending/);
    expect(objectsIn(failed.namespace)).toContain(`Namespace/${failed.namespace}`);
    fake.setFaults({ rules: [] });
    const report = await worker.context.get(WorkspaceReconciler).reconcile();
    expect(report.cleanedUp).toEqual([failed.namespace]);
    expect(report.orphanNamespaces).toEqual([]);
    expect(objectsIn(failed.namespace)).toEqual([]);
    expect((await workspaceOfApproval(worker.context, approvalId))?.cleanupPending).toBe(false);
  });

  it('has the reconciler restart a provisioning that no job will finish', async () => {
    const { projectId, approvalId } = await approvedProject(dataSource);
    // A row as a lost job leaves it: requested, with nothing queued.
    const { workspace } = await worker.context.get(WorkspaceStore).request({
      approvalId,
      projectId,
      size: 'small',
      tool: 'jupyterlab',
      namespacePrefix: DEVELOPMENT_WORKSPACE_SETTINGS.namespacePrefix,
    });
    const report = await worker.context.get(WorkspaceReconciler).reconcile();
    expect(report.provisionsRequeued).toContain(workspace.id);
    expect((await settled(approvalId, ['ready', 'failed'])).state).toBe('ready');
  });

  it('lets only the latest run of an operation record steps: a run that lost its claim is refused and stops', async () => {
    const { projectId, approvalId } = await approvedProject(dataSource);
    const store = worker.context.get(WorkspaceStore);
    const { workspace } = await store.request({
      approvalId,
      projectId,
      size: 'small',
      tool: 'jupyterlab',
      namespacePrefix: DEVELOPMENT_WORKSPACE_SETTINGS.namespacePrefix,
    });
    await store.transaction(async (manager) => {
      const locked = await store.lock(manager, workspace.id);
      await store.transition(manager, locked, 'provision');
      await store.beginOperation(manager, locked, 'provision', PROVISION_STEP_NAMES);
    });
    // A worker's run, stalled past its job's lock; then the run of the worker that took the job over.
    const stalled = await store.claimSteps(workspace.id, 'provision');
    const takenOver = await store.claimSteps(workspace.id, 'provision');
    await expect(stalled.update(0, { state: 'running', attempts: 1 })).rejects.toBeInstanceOf(
      OperationSuperseded,
    );
    await takenOver.update(0, { state: 'done', attempts: 1 });
    const row = await store.byId(workspace.id);
    expect(row?.steps[0]).toMatchObject({ name: 'namespace', state: 'done', attempts: 1 });
    expect(row?.steps.slice(1).every((step) => step.state === 'pending')).toBe(true);
  });

  it('fails loudly when the loader Job fails (a checksum mismatch), revoking the grant and removing the way out', async () => {
    fake.setJobOutcome('fail');
    issuer.loaderSucceeds = false;
    try {
      const { approvalId } = await approvedProject(dataSource);
      await requestWorkspace(worker.context, approvalId);
      const failed = await settled(approvalId, ['failed', 'ready']);
      expect(failed.state).toBe('failed');
      expect(failed.steps.find((s) => s.name === 'load-extract')).toMatchObject({ state: 'failed' });
      expect(failed.steps.find((s) => s.name === 'load-extract')?.error).toMatch(
        /loader Job .* failed.*SHA-256/,
      );
      expect(issuer.revoked).toContain(failed.id);
      expect(objectsIn(failed.namespace)).toEqual([]);
    } finally {
      fake.setJobOutcome('succeed');
      issuer.loaderSucceeds = true;
    }
  });

  it("names why the loader failed, from its pod's termination message, with anything token-like scrubbed", async () => {
    fake.setJobOutcome('manual');
    issuer.loaderSucceeds = false;
    const sha = (c: string) => c.repeat(64);
    const reason = `HES_APC.csv does not match the manifest: expected sha256 ${sha('a')} (10 bytes), got sha256 ${sha('b')} (10 bytes)`;
    try {
      const { approvalId } = await approvedProject(dataSource);
      await requestWorkspace(worker.context, approvalId);
      const job = await eventually(
        async () => {
          const namespace = (await workspaceOfApproval(worker.context, approvalId))?.namespace;
          return fake
            .objects('Job')
            .find((j) => (j.metadata as { namespace: string }).namespace === namespace);
        },
        30_000,
        'the loader Job',
      );
      const { name, namespace } = job.metadata as { name: string; namespace: string };
      // As FallbackToLogsOnError would report it had the loader died before writing its one line.
      fake.completeJob(namespace, name, 'fail', {
        message: `loading extract\ntre: ${reason}; token trel_${'x'.repeat(43)}\n`,
      });
      const failed = await settled(approvalId, ['failed', 'ready']);
      expect(failed.state).toBe('failed');
      const step = failed.steps.find((s) => s.name === 'load-extract');
      expect(step).toMatchObject({ state: 'failed' });
      expect(step?.error).toContain(`the loader Job ${name} failed: ${reason}; token [redacted]`);
      expect(step?.error).not.toContain('trel_');
      expect(issuer.revoked).toContain(failed.id);
      expect(objectsIn(failed.namespace)).toEqual([]);
    } finally {
      fake.setJobOutcome('succeed');
      issuer.loaderSucceeds = true;
    }
  });
});
