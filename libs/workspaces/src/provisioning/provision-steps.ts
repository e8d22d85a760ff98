import type { ClusterDriver } from '../cluster/cluster-driver';
import { ClusterError } from '../cluster/cluster-error';
import type { LoadTokenIssuer } from '../loading/load-token-issuer';
import { buildLoaderTokenSecret, desiredLoaderObjects } from '../manifests/loader';
import { loaderJobName, WORKSPACE_OBJECT_NAMES } from '../manifests/names';
import { buildNamespace } from '../manifests/namespace';
import { buildDefaultDenyPolicy, buildGatewayIngressPolicy } from '../manifests/network-policies';
import { buildLimitRange, buildResourceQuota } from '../manifests/resource-limits';
import { buildServiceAccount } from '../manifests/service-account';
import { buildToolService } from '../manifests/tool';
import { buildDataClaim, buildOutputsClaim } from '../manifests/volumes';
import type { WorkspaceSettings, WorkspaceSpec } from '../manifests/workspace-settings';
import {
  clusterAttached,
  describeOutcome,
  ensureObjects,
  statusOf,
  waitFor,
  type EnsureOutcome,
} from './cluster-ops';
import { loaderFailureReason } from './loader-failure';
import { isTransient, type StepDefinition, type StepResult } from './step-runner';

/** What the loader step needs to know about the project's extract (read from the datasets library). */
export interface ExtractLookup {
  byApproval(approvalId: string): Promise<{ id: string; status: string } | null>;
}

export interface ProvisionContext {
  spec: WorkspaceSpec;
  /** The namespace recorded on the row: teardown deletes this one, even if the prefix setting changed since. */
  namespace: string;
  approvalId: string;
  settings: WorkspaceSettings;
  driver: ClusterDriver;
  /** Issues and revokes the loader's one-time grants (the loading side's service). */
  issuer: LoadTokenIssuer;
  /**
   * Applies the tool's Deployment at `replicas`, or fewer if the workspace row (read under its lock as the
   * apply is made) allows fewer: a suspension or an end of access committed meanwhile is never undone.
   */
  applyTool: (replicas: 0 | 1, readFirst: boolean) => Promise<{ outcome: EnsureOutcome; replicas: 0 | 1 }>;
  extracts: ExtractLookup;
  tokenTtlSeconds: number;
  /** The longest one wait may take within an attempt, and how often it looks. */
  waitTimeoutMs: number;
  pollMs: number;
}

/** The Secret carrying the load token: one name, deleted and remade for each grant (Secrets are immutable). */
export const LOAD_TOKEN_SECRET_NAME = 'load-token';

const applied = async (
  context: ProvisionContext,
  objects: Parameters<typeof ensureObjects>[1],
  tries: number,
) => ({
  note: describeOutcome(await ensureObjects(context.driver, objects, tries > 1)),
});

async function quotaInForce(context: ProvisionContext, tries: number): Promise<StepResult> {
  const { spec, settings, driver } = context;
  const quota = buildResourceQuota(spec, settings);
  const outcome = await ensureObjects(driver, [quota, buildLimitRange(spec, settings)], tries > 1);
  if (!clusterAttached(driver)) return { note: describeOutcome(outcome) };
  // Admission enforces a quota only once the quota controller has written status.hard; until then a pod of
  // any size would be admitted, so nothing that runs is created before it.
  await waitFor(
    async () => {
      const live = await driver.get('ResourceQuota', quota.metadata.namespace, quota.metadata.name);
      return 'hard' in statusOf(live) ? true : undefined;
    },
    context.waitTimeoutMs,
    context.pollMs,
    'the ResourceQuota to be in force (status.hard)',
  );
  return { note: `${describeOutcome(outcome)}; quota in force` };
}

async function loadExtract(context: ProvisionContext, tries: number): Promise<StepResult> {
  const { spec, settings, driver, issuer } = context;
  if (!clusterAttached(driver)) {
    return {
      skipped: 'no cluster attached: the loader Job needs a cluster to run, so the extract is not loaded',
    };
  }
  const extract = await waitFor(
    async () => {
      const found = await context.extracts.byApproval(context.approvalId);
      if (found?.status === 'failed')
        throw new Error(`the project's extract ${found.id} failed; nothing to load`);
      return found?.status === 'ready' ? found : undefined;
    },
    context.waitTimeoutMs,
    context.pollMs,
    "the project's extract to be ready",
  );
  const scope = { workspaceId: spec.workspaceId, projectId: spec.projectId, extractId: extract.id };
  const namespace = buildNamespace(spec, settings).metadata.name;
  const jobName = loaderJobName(extract.id);
  const done = await issuer.completion(scope);
  // A load that outlives one attempt's wait (or meets a transient error) goes on: the next attempt waits for
  // the same Job rather than revoke the token its pod holds; the last attempt's failure revokes and deletes all.
  let loadGoesOn = false;
  try {
    if (!done) {
      if (!(tries > 1 && (await loaderRunning(context, namespace, jobName))))
        await startLoad(context, extract.id);
      await waitFor(
        async () => {
          const status = statusOf(await driver.get('Job', namespace, jobName));
          if (Number(status.failed ?? 0) > settings.loader.backoffLimit || hasCondition(status, 'Failed')) {
            const reason = await loaderFailureReason(driver, namespace, jobName);
            throw new Error(
              reason
                ? `the loader Job ${jobName} failed: ${reason}`
                : `the loader Job ${jobName} failed (a file missing or not matching its SHA-256 fails the load); its pods' logs say why`,
            );
          }
          return Number(status.succeeded ?? 0) >= 1 ? true : undefined;
        },
        context.waitTimeoutMs,
        context.pollMs,
        `the loader Job ${jobName} to finish`,
      );
    }
    const report = done ?? (await issuer.completion(scope));
    if (!report) throw new Error(`the loader Job ${jobName} ended without reporting a verified load`);
    // Finished Jobs are removed by us: a 1.20 server ignores ttlSecondsAfterFinished.
    await driver.delete('Job', namespace, jobName);
    return { note: `extract ${extract.id}: ${report.filesVerified} file(s), ${report.bytes} bytes verified` };
  } catch (error: unknown) {
    loadGoesOn = isTransient(error);
    throw error;
  } finally {
    // Otherwise, whatever happened, the path out and the token end with the load.
    if (!loadGoesOn) {
      await driver.delete('Secret', namespace, LOAD_TOKEN_SECRET_NAME);
      await driver.delete('NetworkPolicy', namespace, WORKSPACE_OBJECT_NAMES.loaderEgressPolicy);
      await issuer.revoke(spec.workspaceId);
    }
  }
}

/** A new grant in a new Secret, then the path out, then the Job that uses both. */
async function startLoad(context: ProvisionContext, extractId: string): Promise<void> {
  const { spec, settings, driver, issuer } = context;
  const namespace = buildNamespace(spec, settings).metadata.name;
  // A grant of an interrupted attempt may be in the Secret: replace it (Secrets are immutable).
  await driver.delete('Secret', namespace, LOAD_TOKEN_SECRET_NAME);
  const grant = await issuer.issue(
    { workspaceId: spec.workspaceId, projectId: spec.projectId, extractId },
    context.tokenTtlSeconds,
  );
  // Created, never applied: the provisioner may not read Secrets, and a patch would answer with one.
  const secret = buildLoaderTokenSecret(spec, settings, { name: LOAD_TOKEN_SECRET_NAME, token: grant.token });
  if (!(await driver.create(secret))) {
    throw new ClusterError('transient', 'AlreadyExists', `the Secret ${LOAD_TOKEN_SECRET_NAME} reappeared`);
  }
  for (const object of desiredLoaderObjects(spec, settings, {
    extractId,
    tokenSecretName: LOAD_TOKEN_SECRET_NAME,
  })) {
    await driver.apply(object);
  }
}

/** The loader Job of an earlier run exists and has not finished: its pod may be loading now. */
async function loaderRunning(
  context: ProvisionContext,
  namespace: string,
  jobName: string,
): Promise<boolean> {
  const live = await context.driver.get('Job', namespace, jobName);
  if (!live) return false;
  const status = statusOf(live);
  return !(
    Number(status.succeeded ?? 0) >= 1 ||
    hasCondition(status, 'Complete') ||
    hasCondition(status, 'Failed')
  );
}

function hasCondition(status: Record<string, unknown>, type: string): boolean {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as unknown[]) : [];
  return conditions.some(
    (condition) =>
      typeof condition === 'object' &&
      condition !== null &&
      (condition as { type?: unknown }).type === type &&
      (condition as { status?: unknown }).status === 'True',
  );
}

/**
 * Provisioning, in the order of desiredWorkspaceObjects: the walls (deny-all, quota in force) stand before
 * anything that could run, and the loader's way out exists only while it loads.
 */
export const PROVISION_STEPS: readonly StepDefinition<ProvisionContext>[] = [
  { name: 'namespace', run: (c, tries) => applied(c, [buildNamespace(c.spec, c.settings)], tries) },
  {
    name: 'network-policies',
    run: (c, tries) =>
      applied(
        c,
        [buildDefaultDenyPolicy(c.spec, c.settings), buildGatewayIngressPolicy(c.spec, c.settings)],
        tries,
      ),
  },
  { name: 'quota-and-limits', run: quotaInForce },
  {
    name: 'service-account',
    run: (c, tries) => applied(c, [buildServiceAccount(c.spec, c.settings)], tries),
  },
  {
    name: 'volumes',
    run: (c, tries) =>
      applied(c, [buildDataClaim(c.spec, c.settings), buildOutputsClaim(c.spec, c.settings)], tries),
  },
  {
    name: 'tool',
    run: async (c, tries) => {
      const tool = await scaleTool(c, 1, tries);
      const service = describeOutcome(
        await ensureObjects(c.driver, [buildToolService(c.spec, c.settings)], tries > 1),
      );
      return { note: `${tool.note}; ${service}` };
    },
  },
  { name: 'load-extract', run: loadExtract },
];

export const PROVISION_STEP_NAMES = PROVISION_STEPS.map((step) => step.name);

/** Suspend and resume: the Deployment at 0 or 1 replica; volumes, policies and quota stay. */
export function scaleSteps(replicas: 0 | 1): StepDefinition<ProvisionContext>[] {
  return [
    {
      name: replicas === 0 ? 'scale-tool-to-zero' : 'scale-tool-up',
      run: (c, tries) => scaleTool(c, replicas, tries),
    },
  ];
}

async function scaleTool(
  context: ProvisionContext,
  replicas: 0 | 1,
  tries: number,
): Promise<{ note: string }> {
  const applied = await context.applyTool(replicas, tries > 1);
  const held =
    applied.replicas < replicas
      ? ` (held at ${applied.replicas}: the workspace no longer allows ${replicas})`
      : '';
  return { note: `${describeOutcome(applied.outcome)}${held}` };
}
