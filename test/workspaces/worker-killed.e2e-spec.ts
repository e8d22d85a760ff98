import { DataSource } from 'typeorm';
import { JobQueue, loadConfig } from '@tre/core';
import { setUpTestEnvironment, startFakeKube, type FakeKube, type TestEnvironment } from '@tre/testing';
import type { WorkspaceStep } from '@tre/workspaces';
import { TestLoadTokenIssuer } from '../support/test-load-token-issuer';
import { eventually } from '../support/test-worker';
import {
  approvedProject,
  spawnWorkspaceWorker,
  startWorkspaceWorker,
  type WorkspaceWorker,
  type WorkspaceWorkerProcess,
} from '../support/workspace-fixtures';

/**
 * A worker dies in the middle of provisioning: its process is killed (SIGKILL) while it waits on the cluster
 * inside a step, so its database transaction rolls back and its job's lock lapses. Another worker takes the
 * stalled job up and resumes from the recorded steps: nothing done twice, nothing created twice.
 */
// Under heavy load a case is tried again; a real regression fails every try.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

describe('a worker killed mid-provisioning', () => {
  let env: TestEnvironment;
  let fake: FakeKube;
  let dataSource: DataSource;
  let jobs: JobQueue;
  let killed: WorkspaceWorkerProcess | undefined;
  let second: WorkspaceWorker | undefined;

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'succeed' });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      // Long enough that a loaded machine's loader Job is not timed out and retried (that is another test's case).
      WORKSPACE_STEP_TIMEOUT_SECONDS: '30',
      // Short, so the killed worker's job is taken over soon; long enough that a busy machine renews it in time.
      WORKSPACE_JOB_LOCK_SECONDS: '4',
    });
    dataSource = await new DataSource({ type: 'postgres', url: env.database.url }).initialize();
    jobs = new JobQueue(loadConfig());
  });

  // A try's workers end with it: a retried case must not share the queue with the last try's workers.
  afterEach(async () => {
    await killed?.kill();
    await second?.close().catch(() => undefined);
    killed = second = undefined;
  });

  afterAll(async () => {
    await jobs?.onModuleDestroy();
    await dataSource?.destroy();
    await fake?.close();
    await env?.teardown();
  });

  const workspaceOf = async (approvalId: string) => {
    const rows = await dataSource.query<
      { id: string; state: string; namespace: string; steps: WorkspaceStep[] }[]
    >(`SELECT id, state, namespace, steps FROM workspaces WHERE approval_id = $1`, [approvalId]);
    return rows[0];
  };

  it('is resumed by another worker from the step it died in, and the workspace becomes ready once', async () => {
    // A retried case counts only its own calls: the fake cluster outlives a try.
    const callsAtStart = fake.calls().length;
    // The first worker will hang reading the tool's Deployment, and be killed there.
    fake.setFaults({ rules: [{ latencyMs: 120_000, match: { path: /deployments/ } }] });
    killed = await spawnWorkspaceWorker();
    const { approvalId } = await approvedProject(dataSource);
    await jobs.enqueue('workspaces.request', { approvalId });

    const stepNamed = (steps: WorkspaceStep[], name: string) => steps.find((s) => s.name === name);
    const stuck = await eventually(
      async () => {
        const row = await workspaceOf(approvalId);
        return row && stepNamed(row.steps, 'tool')?.state === 'running' ? row : undefined;
      },
      30_000,
      'the first worker to reach the tool step',
    );
    expect(stuck.state).toBe('provisioning');
    await killed.kill();
    fake.setFaults({ rules: [] });
    const callsBefore = fake.calls().length;

    second = await startWorkspaceWorker(new TestLoadTokenIssuer());
    const ready = await eventually(
      async () => {
        const row = await workspaceOf(approvalId);
        return row?.state === 'ready' ? row : undefined;
      },
      30_000,
      'the second worker to finish the provisioning',
    );

    // The steps the first worker finished were not run again; the one it died in ran once more.
    const attempts = Object.fromEntries(ready.steps.map((s) => [s.name, s.attempts]));
    expect(attempts).toEqual({
      namespace: 1,
      'network-policies': 1,
      'quota-and-limits': 1,
      'service-account': 1,
      volumes: 1,
      tool: 2,
      'load-extract': 1,
    });
    expect(ready.steps.every((s) => s.state === 'done')).toBe(true);
    // The second worker never touched what was already there.
    const resumedCalls = fake.calls().slice(callsBefore);
    expect(
      resumedCalls.some((c) =>
        c.path.includes('/namespaces/' + ready.namespace + '/networkpolicies/default-deny'),
      ),
    ).toBe(false);
    // Every object created once.
    const created = new Map<string, number>();
    for (const call of fake.calls().slice(callsAtStart))
      if (call.outcome === 201) created.set(call.path, (created.get(call.path) ?? 0) + 1);
    expect([...created.values()].every((n) => n === 1)).toBe(true);
    // One workspace, one transition to ready.
    const audit = await dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
      [ready.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'workspace.requested',
      'workspace.provisioning',
      'workspace.ready',
    ]);
  }, 90_000);
});
