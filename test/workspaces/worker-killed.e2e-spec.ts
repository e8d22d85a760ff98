import { DataSource } from 'typeorm';
import { setUpTestEnvironment, startFakeKube, type FakeKube, type TestEnvironment } from '@tre/testing';
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
 * A worker dies in the middle of provisioning (it stops renewing its job's lock and never finishes); another
 * worker takes the stalled job up and resumes from the recorded steps: nothing done twice, nothing created twice.
 */
// Under heavy load a case is tried again; a real regression fails every try.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

describe('a worker killed mid-provisioning', () => {
  let env: TestEnvironment;
  let fake: FakeKube;
  const workers: WorkspaceWorker[] = [];

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'succeed' });
    env = await setUpTestEnvironment({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_RETRY_DELAY_SECONDS: '1',
      // Long enough that a loaded machine's loader Job is not timed out and retried (that is another test's case).
      WORKSPACE_STEP_TIMEOUT_SECONDS: '30',
      WORKSPACE_JOB_LOCK_SECONDS: '2',
    });
  });

  afterAll(async () => {
    await fake?.close();
    for (const worker of workers) await worker.close().catch(() => undefined);
    await env?.teardown();
  });

  it('is resumed by another worker from the step it died in, and the workspace becomes ready once', async () => {
    const issuer = new TestLoadTokenIssuer();
    // A retried case counts only its own calls: the fake cluster outlives a try.
    const callsAtStart = fake.calls().length;
    // The first worker will hang reading the tool's Deployment, as if it died there.
    fake.setFaults({ rules: [{ latencyMs: 120_000, match: { path: /deployments/ } }] });
    const first = await startWorkspaceWorker(issuer);
    workers.push(first);
    const dataSource = first.context.get(DataSource);
    const { approvalId } = await approvedProject(dataSource);
    await requestWorkspace(first.context, approvalId);

    const stuck = await eventually(
      async () => {
        const row = await workspaceOfApproval(first.context, approvalId);
        return row?.steps.find((s) => s.name === 'tool')?.state === 'running' ? row : undefined;
      },
      20_000,
      'the first worker to reach the tool step',
    );
    expect(stuck.state).toBe('provisioning');
    await first.abandon();
    fake.setFaults({ rules: [] });
    const callsBefore = fake.calls().length;

    const second = await startWorkspaceWorker(issuer);
    workers.push(second);
    const ready = await eventually(
      async () => {
        const row = await workspaceOfApproval(second.context, approvalId);
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
  }, 60_000);
});
