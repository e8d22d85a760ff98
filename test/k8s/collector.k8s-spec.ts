import { randomUUID } from 'node:crypto';
import {
  CLEAN_UP_STEP,
  COLLECTION_STEPS,
  type CollectGrantsService,
  type CollectionContext,
} from '@tre/outputs';
import {
  DEVELOPMENT_WORKSPACE_SETTINGS,
  KubernetesDriver,
  buildCollectorEgressPolicy,
  buildCollectorJob,
  buildNamespace,
  buildOutputsClaim,
  collectorObjectNames,
  driftBetween,
  pendingStep,
  runSteps,
  type StepJournal,
  type WorkspaceStep,
} from '@tre/workspaces';
import { eventually } from '../support/test-worker';
import { kubeRequest, provisionerKubeconfig, startLocalKube, stopLocalKube } from './local-kube';

/**
 * The collector's steps (collection-steps.ts) against a real kube-apiserver (1.20, controller manager, no
 * kubelet), run as the deployment's `tre-provisioner` service account under k8s/base/rbac-provisioner.yaml, in
 * both modes (adding files for a request, listing the folder for a listing), in the namespace the workspace's
 * row names: the collector's Secret, egress NetworkPolicy and Job are created and stored as built, the Job's uid
 * goes into the grant's provenance, and clean-up removes all three, after a Job that succeeded and after one
 * that outlived its deadline. The reconciler's listing of collector-labelled Jobs and policies is allowed by the
 * same RBAC. The grants are a stand-in here (the database side is tested in test/outputs).
 */
jest.setTimeout(240_000);

describe('the collector Job against a real API server', () => {
  let adminKubeconfig: string;
  let admin: KubernetesDriver;
  let provisioner: KubernetesDriver;
  const settings = DEVELOPMENT_WORKSPACE_SETTINGS;
  const workspaceId = randomUUID();
  // The namespace the workspace's row names (here as provisioning derived it); the steps use it as given.
  const spec = {
    workspaceId,
    projectId: randomUUID(),
    size: 'small' as const,
    tool: 'jupyterlab' as const,
    namespace: buildNamespace(
      { workspaceId, projectId: randomUUID(), size: 'small', tool: 'jupyterlab' },
      DEVELOPMENT_WORKSPACE_SETTINGS,
    ).metadata.name,
  };
  const namespace = spec.namespace;

  beforeAll(async () => {
    adminKubeconfig = await startLocalKube();
    admin = KubernetesDriver.create({ kubeconfigPath: adminKubeconfig });
    provisioner = KubernetesDriver.create({ kubeconfigPath: await provisionerKubeconfig(adminKubeconfig) });
    await admin.apply(buildNamespace(spec, settings));
    await admin.apply(buildOutputsClaim(spec, settings));
  });

  afterAll(async () => {
    await admin?.delete('Namespace', undefined, namespace).catch(() => undefined);
    await stopLocalKube();
  });

  /** The grants as the steps use them, in memory: issued, the Job's uid recorded, spent by the "collector". */
  function stubGrants() {
    const state = { grantId: randomUUID(), jobUid: '', spent: false, revoked: false };
    const grants = {
      issue: () =>
        Promise.resolve({
          token: 'trec_test',
          grantId: state.grantId,
          expiresAt: new Date(Date.now() + 60_000),
        }),
      setOrigin: (_id: string, origin: { jobUid?: string | null }) => {
        state.jobUid = origin.jobUid ?? '';
        return Promise.resolve();
      },
      byId: () => Promise.resolve({ spentAt: state.spent ? new Date() : null }),
      revokeGrant: () => {
        state.revoked = true;
        return Promise.resolve();
      },
    };
    return { state, grants: grants as unknown as CollectGrantsService };
  }

  const journal = (steps: WorkspaceStep[]): StepJournal => ({
    steps: () => Promise.resolve(steps),
    update: (index, patch) => {
      steps[index] = { ...(steps[index] ?? pendingStep('?')), ...patch };
      return Promise.resolve();
    },
  });
  const attempt = { attempt: 1, maxAttempts: 1, retryDelaySeconds: 1 };

  function contextFor(
    grants: CollectGrantsService,
    deadlineSeconds: number,
    target: CollectionContext['target'] = { requestId: randomUUID() },
  ): CollectionContext {
    return {
      target,
      issue: async () => ({ ...(await grants.issue({} as never, 0)), covers: 'the test' }),
      spec,
      namespace,
      settings,
      driver: provisioner,
      grants,
      deadlineSeconds,
      graceMs: 1_000,
      pollMs: 250,
      onGrant: () => Promise.resolve(),
      grantId: null,
    };
  }

  async function gone(grantId: string): Promise<void> {
    const names = collectorObjectNames(grantId);
    await eventually(
      async () => {
        const left = [
          await admin.get('Job', namespace, names.job),
          await admin.get('Secret', namespace, names.secret),
          await admin.get('NetworkPolicy', namespace, names.policy),
        ].filter(Boolean);
        return left.length === 0 ? true : undefined;
      },
      60_000,
      `the collector objects of ${grantId} to be gone`,
    );
  }

  it.each([
    ['add mode (a request)', (): CollectionContext['target'] => ({ requestId: randomUUID() })],
    ['list mode (a listing)', (): CollectionContext['target'] => ({ listingId: randomUUID() })],
  ])(
    '%s: creates the Secret, the egress policy and the Job as built, then removes them after the Job succeeds',
    async (_mode, target) => {
      const { state, grants } = stubGrants();
      const context = contextFor(grants, 120, target());
      const names = collectorObjectNames(state.grantId);
      // Stands in for the kubelet and the collector: once the Job exists, the collector reports (the grant is
      // spent) and the Job is marked complete through its status subresource.
      const kubelet = setInterval(() => {
        void (async () => {
          if (!(await admin.get('Job', namespace, names.job))) return;
          state.spent = true;
          const now = new Date().toISOString();
          await kubeRequest(
            adminKubeconfig,
            'PATCH',
            `/apis/batch/v1/namespaces/${namespace}/jobs/${names.job}/status`,
            {
              status: {
                startTime: now,
                completionTime: now,
                succeeded: 1,
                conditions: [
                  { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
                ],
              },
            },
            'application/merge-patch+json',
          ).catch(() => undefined);
        })();
      }, 300);
      const steps = COLLECTION_STEPS.map((s) => pendingStep(s.name));
      try {
        // Up to the Job: everything the collection makes is on the server as built, and the reconciler may list it.
        await runSteps(COLLECTION_STEPS.slice(0, 4), journal(steps), context, attempt);
        const options = { grantId: state.grantId, ...context.target, activeDeadlineSeconds: 120 };
        const job = await admin.get('Job', namespace, names.job);
        expect(job?.metadata.uid).toBe(state.jobUid);
        // A 1.20 server drops ttlSecondsAfterFinished (alpha there); clean-up deletes the Job in any case.
        expect(
          driftBetween(buildCollectorJob(spec, settings, options), job).filter(
            (drift) => drift.path !== 'spec.ttlSecondsAfterFinished',
          ),
        ).toEqual([]);
        const policy = await admin.get('NetworkPolicy', namespace, names.policy);
        expect(driftBetween(buildCollectorEgressPolicy(spec, settings, options), policy)).toEqual([]);
        expect(await admin.get('Secret', namespace, names.secret)).toBeDefined();
        const env = (
          job as unknown as {
            spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
          }
        ).spec.template.spec.containers[0].env;
        expect(env).toContainEqual(
          'requestId' in context.target
            ? { name: 'TRE_OUTPUT_REQUEST_ID', value: context.target.requestId }
            : { name: 'TRE_OUTPUT_LISTING_ID', value: context.target.listingId },
        );
        const selector = 'app.kubernetes.io/component=collector';
        expect(
          (await provisioner.listLabelled('Job', namespace, selector)).map((o) => o.metadata.name),
        ).toEqual([names.job]);
        expect(
          (await provisioner.listLabelled('NetworkPolicy', namespace, selector)).map((o) => o.metadata.name),
        ).toEqual([names.policy]);
        // Then the wait (the steps recorded done are skipped), while the stand-in kubelet completes the Job.
        await runSteps(COLLECTION_STEPS, journal(steps), context, attempt);
      } finally {
        clearInterval(kubelet);
        await runSteps([CLEAN_UP_STEP], journal([pendingStep('clean-up')]), context, attempt);
      }
      expect(steps.map((s) => `${s.name}:${s.state}`)).toEqual(COLLECTION_STEPS.map((s) => `${s.name}:done`));
      expect(state.jobUid).toMatch(/^[0-9a-f-]{36}$/);
      expect(state.revoked).toBe(true);
      await gone(state.grantId);
    },
  );

  it('a Job past its deadline fails the wait with that reason, and clean-up still removes everything', async () => {
    const { state, grants } = stubGrants();
    const context = contextFor(grants, 2);
    const steps = COLLECTION_STEPS.map((s) => pendingStep(s.name));
    await expect(runSteps(COLLECTION_STEPS, journal(steps), context, attempt)).rejects.toThrow(
      /did not finish within its deadline of 2 s/,
    );
    expect(steps.find((s) => s.name === 'wait-for-job')?.state).toBe('failed');
    expect(await admin.get('Job', namespace, collectorObjectNames(state.grantId).job)).toBeDefined();
    await runSteps([CLEAN_UP_STEP], journal([pendingStep('clean-up')]), context, attempt);
    expect(state.revoked).toBe(true);
    await gone(state.grantId);
  });
});
