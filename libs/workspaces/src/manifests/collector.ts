import type { Job, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyPeer, Secret } from './kube-types';
import { COLLECT_GRANT_LABEL, COMPONENT_LABEL, componentSelector, stampCommonLabels } from './labels';
import { OUTPUTS_MOUNT_PATH, WORKSPACE_OBJECT_NAMES, canonicalUuid } from './names';
import { DNS_PORTS, policy, selectorPeer } from './network-policies';
import { canonicalQuantity } from './quantity';
import { resolveWorkspace } from './resolve-workspace';
import {
  SCRATCH_SIZE_LIMIT,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from './security-context';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/** The CLI entry point in this service's image (WORKDIR /app), as `tre workspace collect`. */
export const COLLECTOR_COMMAND = ['node', 'dist/apps/cli/src/main.js', 'workspace', 'collect'] as const;
/** Key of the one-time collect token inside its Secret. */
export const COLLECTOR_TOKEN_SECRET_KEY = 'token';

export interface CollectorJobOptions {
  /** The collect grant this collection runs under: names every object, so collections never share one. */
  grantId: string;
  /** Add mode: the output request the grant is scoped to (exactly one of requestId and listingId). */
  requestId?: string;
  /** List mode: the listing the grant is scoped to; the collector reports the outputs folder's files. */
  listingId?: string;
  /** Longest the Job may run before Kubernetes stops it (the grant expires no sooner). */
  activeDeadlineSeconds: number;
}

/** The names of one collection's objects, all derived from its grant. */
export function collectorObjectNames(grantId: string): { job: string; secret: string; policy: string } {
  const id = canonicalUuid(grantId);
  if (!id) throw new RangeError(`collect grant id "${grantId}" is not a UUID`);
  return { job: `collect-${id}`, secret: `collect-token-${id}`, policy: `collect-egress-${id}` };
}

function selector(workspaceId: string, grantId: string) {
  return { ...componentSelector('collector', workspaceId), [COLLECT_GRANT_LABEL]: grantId };
}

/** The grant's token, immutable: the provisioner deletes it with the Job whatever the outcome. */
export function buildCollectorTokenSecret(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: Pick<CollectorJobOptions, 'grantId'> & { token: string },
): Secret {
  const workspace = resolveWorkspace(spec, settings);
  const names = collectorObjectNames(options.grantId);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: names.secret,
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'collector', [COLLECT_GRANT_LABEL]: options.grantId },
      },
      type: 'Opaque',
      immutable: true,
      stringData: { [COLLECTOR_TOKEN_SECRET_KEY]: options.token },
    },
    workspace.labels,
  );
}

/**
 * The one path out of the namespace for this collection: its own collector pods (selected by component and
 * grant) to the API's intake port, and DNS when configured. Every other pod stays behind the default deny.
 */
export function buildCollectorEgressPolicy(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: Pick<CollectorJobOptions, 'grantId'>,
): NetworkPolicy {
  const workspace = resolveWorkspace(spec, settings);
  const { apiEgress } = settings;
  const apiPeer: NetworkPolicyPeer =
    'cidr' in apiEgress.to ? { ipBlock: { cidr: apiEgress.to.cidr } } : selectorPeer(apiEgress.to);
  const egress: NetworkPolicyEgressRule[] = [
    { to: [apiPeer], ports: [{ protocol: 'TCP', port: apiEgress.port }] },
  ];
  if (apiEgress.dns)
    egress.push({ to: [selectorPeer(apiEgress.dns)], ports: DNS_PORTS.map((port) => ({ ...port })) });
  const built = policy(workspace, collectorObjectNames(options.grantId).policy, {
    podSelector: { matchLabels: selector(workspace.workspaceId, options.grantId) },
    policyTypes: ['Egress'],
    egress,
  });
  return {
    ...built,
    metadata: {
      ...built.metadata,
      labels: {
        ...built.metadata.labels,
        [COMPONENT_LABEL]: 'collector',
        [COLLECT_GRANT_LABEL]: options.grantId,
      },
    },
  };
}

/** The one variable that says what the collector does: collect for a request, or list for a listing. */
function collectorTarget(options: CollectorJobOptions): { name: string; value: string } {
  if ((options.requestId === undefined) === (options.listingId === undefined))
    throw new RangeError('a collector Job serves exactly one of a request (add) and a listing (list)');
  const [name, what, raw] =
    options.requestId !== undefined
      ? (['TRE_OUTPUT_REQUEST_ID', 'request', options.requestId] as const)
      : (['TRE_OUTPUT_LISTING_ID', 'listing', options.listingId ?? ''] as const);
  const value = canonicalUuid(raw);
  if (!value) throw new RangeError(`${what} id "${raw}" is not a UUID`);
  return { name, value };
}

/**
 * The collector: this service's image running `tre workspace collect` over the outputs volume, mounted
 * read-only (in list mode it only walks the folder and reports names, sizes and times); non-root, read-only root filesystem, no service-account token, no retries (a failed collection
 * is reported and retried by a person), and a deadline.
 */
export function buildCollectorJob(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: CollectorJobOptions,
): Job {
  const workspace = resolveWorkspace(spec, settings);
  const { loader } = settings;
  const names = collectorObjectNames(options.grantId);
  const target = collectorTarget(options);
  if (!Number.isInteger(options.activeDeadlineSeconds) || options.activeDeadlineSeconds < 1)
    throw new RangeError('the collector needs a deadline of at least one second');
  const resources = { cpu: canonicalQuantity(loader.cpu), memory: canonicalQuantity(loader.memory) };
  return stampCommonLabels(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: names.job,
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'collector', [COLLECT_GRANT_LABEL]: options.grantId },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: options.activeDeadlineSeconds,
        ttlSecondsAfterFinished: loader.ttlSecondsAfterFinished,
        template: {
          metadata: { labels: selector(workspace.workspaceId, options.grantId) },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: WORKSPACE_OBJECT_NAMES.serviceAccount,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext({
              runAsUser: loader.runAsUser,
              runAsGroup: loader.runAsGroup,
              fsGroup: settings.fsGroup,
            }),
            containers: [
              {
                name: 'collector',
                image: settings.loaderImage,
                imagePullPolicy: 'IfNotPresent',
                command: [...COLLECTOR_COMMAND],
                env: [
                  { name: 'TRE_API_URL', value: settings.apiEgress.url },
                  target,
                  { name: 'TRE_OUTPUTS_DIR', value: OUTPUTS_MOUNT_PATH },
                  {
                    name: 'TRE_COLLECT_TOKEN',
                    valueFrom: { secretKeyRef: { name: names.secret, key: COLLECTOR_TOKEN_SECRET_KEY } },
                  },
                ],
                resources: { requests: { ...resources }, limits: { ...resources } },
                securityContext: restrictedContainerSecurityContext(loader),
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: [
                  {
                    name: WORKSPACE_OBJECT_NAMES.outputsClaim,
                    mountPath: OUTPUTS_MOUNT_PATH,
                    readOnly: true,
                  },
                  { name: 'scratch-0', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              {
                name: WORKSPACE_OBJECT_NAMES.outputsClaim,
                persistentVolumeClaim: { claimName: WORKSPACE_OBJECT_NAMES.outputsClaim, readOnly: true },
              },
              { name: 'scratch-0', emptyDir: { sizeLimit: SCRATCH_SIZE_LIMIT } },
            ],
          },
        },
      },
    },
    workspace.labels,
  );
}

/** What a collection applies, in order: its path out, then the Job. The token's Secret is built apart. */
export function desiredCollectorObjects(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: CollectorJobOptions,
): [NetworkPolicy, Job] {
  return [buildCollectorEgressPolicy(spec, settings, options), buildCollectorJob(spec, settings, options)];
}
