import {
  ClusterError,
  buildCollectorEgressPolicy,
  buildCollectorJob,
  buildCollectorTokenSecret,
  collectorObjectNames,
  collectorPodSelector,
  jobFailureReason,
  statusOf,
  waitFor,
  StepNotYet,
  WORKSPACE_OBJECT_NAMES,
  type ClusterDriver,
  type StepDefinition,
  type StepResult,
  type WorkspaceSettings,
  type WorkspaceSpec,
} from '@tre/workspaces';
import type { CollectOrigin, GrantScope } from './collect-grant.entity';
import type { CollectGrantsService } from './collect-grants.service';

/**
 * What one collector run's steps work with (a collection in add mode, a listing in list mode); the token lives
 * only here, for the one step that writes its Secret.
 */
export interface CollectionContext {
  /** What the Job serves: a request's paths (add) or a listing (list). */
  readonly target: GrantScope;
  /** Issues the run's grant, with its provenance so far; says what it covers for the step's note. */
  readonly issue: (
    origin: CollectOrigin,
    ttlSeconds: number,
  ) => Promise<{ token: string; grantId: string; expiresAt: Date; covers: string }>;
  /** The workspace, with the namespace its row names (never one derived again from the settings' prefix). */
  readonly spec: WorkspaceSpec & { namespace: string };
  readonly namespace: string;
  readonly settings: WorkspaceSettings;
  readonly driver: ClusterDriver;
  readonly grants: CollectGrantsService;
  /** The Job's activeDeadlineSeconds; the grant lives a minute longer. */
  readonly deadlineSeconds: number;
  /** How long past the deadline the worker waits for Kubernetes to mark the Job ended. */
  readonly graceMs: number;
  readonly pollMs: number;
  /** Records the grant on the collection as soon as it is issued, so clean-up and the reconciler know it. */
  readonly onGrant: (grantId: string) => Promise<void>;
  grantId: string | null;
  token?: string;
  /** Why the Job did not finish well, when it did not: the reason each unreported file fails with. */
  jobFailure?: string;
}

const grantOf = (context: CollectionContext): string => {
  if (!context.grantId) throw new Error('no grant was issued for this collection');
  return context.grantId;
};
const names = (context: CollectionContext) => collectorObjectNames(grantOf(context));

/** Grant lifetime: the Job's deadline and a minute, so the token dies soon after the Job must have. */
export const grantTtlSeconds = (deadlineSeconds: number): number => deadlineSeconds + 60;

async function issueGrant(context: CollectionContext): Promise<StepResult> {
  const claim = await context.driver.get(
    'PersistentVolumeClaim',
    context.namespace,
    WORKSPACE_OBJECT_NAMES.outputsClaim,
  );
  if (!claim?.metadata.uid)
    throw new Error(`the workspace has no outputs volume (claim ${WORKSPACE_OBJECT_NAMES.outputsClaim})`);
  const { token, grantId, expiresAt, covers } = await context.issue(
    {
      workspaceId: context.spec.workspaceId,
      namespace: context.namespace,
      claimUid: claim.metadata.uid,
      jobUid: null,
      image: context.settings.loaderImage,
      runner: 'kubernetes',
    },
    grantTtlSeconds(context.deadlineSeconds),
  );
  context.token = token;
  context.grantId = grantId;
  await context.onGrant(grantId);
  return { note: `grant ${grantId} for ${covers}, until ${expiresAt.toISOString()}` };
}

async function tokenSecret(context: CollectionContext): Promise<StepResult> {
  const { secret } = names(context);
  // The token is never stored: a worker that resumes another's collection cannot write it, so it stops here.
  if (!context.token)
    throw new Error("the grant's token was lost with the worker that issued it; start again");
  await context.driver.delete('Secret', context.namespace, secret);
  const created = await context.driver.create(
    buildCollectorTokenSecret(context.spec, context.settings, {
      grantId: grantOf(context),
      token: context.token,
    }),
  );
  if (!created) throw new ClusterError('transient', 'AlreadyExists', `the Secret ${secret} reappeared`);
  return { note: `Secret/${secret}` };
}

async function egressPolicy(context: CollectionContext): Promise<StepResult> {
  const policy = buildCollectorEgressPolicy(context.spec, context.settings, { grantId: grantOf(context) });
  await context.driver.apply(policy);
  return { note: `NetworkPolicy/${policy.metadata.name}: collector pods to the intake only` };
}

async function collectorJob(context: CollectionContext): Promise<StepResult> {
  const job = buildCollectorJob(context.spec, context.settings, {
    grantId: grantOf(context),
    ...context.target,
    activeDeadlineSeconds: context.deadlineSeconds,
  });
  const live = await context.driver.apply(job);
  if (!live.metadata.uid) throw new Error(`the Job ${job.metadata.name} came back without a uid`);
  // The intake gives the collector its plan only once the Job's uid is in the grant's provenance.
  await context.grants.setOrigin(grantOf(context), { jobUid: live.metadata.uid });
  return { note: `Job/${job.metadata.name} uid ${live.metadata.uid}, deadline ${context.deadlineSeconds} s` };
}

function conditionOf(status: Record<string, unknown>, type: string): { reason?: string } | undefined {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as unknown[]) : [];
  return conditions.find(
    (c): c is { type: string; status: string; reason?: string } =>
      typeof c === 'object' &&
      c !== null &&
      (c as { type?: unknown }).type === type &&
      (c as { status?: unknown }).status === 'True',
  );
}

async function waitForJob(context: CollectionContext): Promise<StepResult> {
  const { job } = names(context);
  const deadline = `its deadline of ${context.deadlineSeconds} s`;
  let ended: 'succeeded' | 'failed' | 'removed';
  try {
    ended = await waitFor(
      async () => {
        const live = await context.driver.get('Job', context.namespace, job);
        // Removed under the worker (by hand, or a cluster's clean-up): no status will ever come; the grant
        // below says whether the collector reported first.
        if (!live) {
          context.jobFailure = `the collector Job ${job} was removed before it finished`;
          return 'removed';
        }
        const status = statusOf(live);
        if (Number(status.succeeded ?? 0) >= 1 || conditionOf(status, 'Complete')) return 'succeeded';
        const failed = conditionOf(status, 'Failed');
        if (failed || Number(status.failed ?? 0) >= 1) {
          context.jobFailure =
            failed?.reason === 'DeadlineExceeded'
              ? `the collector Job did not finish within ${deadline}`
              : `the collector Job failed: ${(await jobFailureReason(context.driver, context.namespace, collectorPodSelector(job))) ?? 'its pod gave no reason'}`;
          return 'failed';
        }
        return undefined;
      },
      context.deadlineSeconds * 1000 + context.graceMs,
      context.pollMs,
      `the collector Job ${job} to finish`,
    );
  } catch (error: unknown) {
    if (!(error instanceof StepNotYet)) throw error;
    context.jobFailure = `the collector Job did not finish within ${deadline}`;
    throw new Error(context.jobFailure);
  }
  // A Job whose collector refused a file exits 1, yet reported every file: its report is the outcome.
  const grant = await context.grants.byId(grantOf(context));
  const what = 'requestId' in context.target ? 'every file' : 'the listing';
  if (grant?.spentAt) return { note: `the collector reported ${what} (Job ${ended})` };
  throw new Error(
    context.jobFailure ??
      `the collector Job ${job} ended without reporting ${'requestId' in context.target ? 'its files' : 'a listing'}`,
  );
}

/** Whatever happened before: the grant dies, and the Job (with its pods), the Secret and the path out go. */
async function cleanUp(context: CollectionContext): Promise<StepResult> {
  if (!context.grantId) return { skipped: 'no grant was issued: nothing was created' };
  await context.grants.revokeGrant(context.grantId);
  const { job, secret, policy } = names(context);
  const removed: string[] = [];
  for (const [kind, name] of [
    ['Job', job],
    ['Secret', secret],
    ['NetworkPolicy', policy],
  ] as const) {
    if (await context.driver.delete(kind, context.namespace, name)) removed.push(`${kind}/${name}`);
  }
  return {
    note: `grant revoked; ${removed.length ? `deleted ${removed.join(', ')}` : 'nothing left to delete'}`,
  };
}

/** The collection's steps before clean-up, in order: the grant, its Secret, the path out, the Job, the wait. */
export const COLLECTION_STEPS: readonly StepDefinition<CollectionContext>[] = [
  { name: 'issue-grant', run: issueGrant },
  { name: 'token-secret', run: tokenSecret },
  { name: 'egress-policy', run: egressPolicy },
  { name: 'collector-job', run: collectorJob },
  { name: 'wait-for-job', run: waitForJob },
];

export const CLEAN_UP_STEP: StepDefinition<CollectionContext> = { name: 'clean-up', run: cleanUp };
