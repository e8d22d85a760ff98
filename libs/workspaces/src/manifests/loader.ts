import type { Job, NetworkPolicy, Secret } from './kube-types';
import { COMPONENT_LABEL, componentSelector, stampCommonLabels } from './labels';
import {
  DATA_MOUNT_PATH,
  WORKSPACE_OBJECT_NAMES,
  canonicalUuid,
  isDns1123Label,
  loaderJobName,
} from './names';
import { buildLoaderEgressPolicy } from './network-policies';
import { canonicalQuantity } from './quantity';
import { resolveWorkspace } from './resolve-workspace';
import {
  SCRATCH_SIZE_LIMIT,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from './security-context';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/** The CLI entry point in this service's image (WORKDIR /app), as `tre workspace load`. */
export const LOADER_COMMAND = ['node', 'dist/apps/cli/src/main.js', 'workspace', 'load'] as const;
/** Key of the one-time load token inside its Secret. */
export const LOADER_TOKEN_SECRET_KEY = 'token';

export interface LoaderJobOptions {
  /** The extract to load; names the Job, so a retried provisioning step applies the same Job again. */
  extractId: string;
  /** Secret holding the one-time, workspace-scoped token under LOADER_TOKEN_SECRET_KEY. */
  tokenSecretName: string;
}

function checkedSecretName(name: string): string {
  if (!isDns1123Label(name)) throw new RangeError(`token secret name "${name}" is not a DNS-1123 label`);
  return name;
}

/**
 * The token's Secret. Immutable, so a token cannot be swapped in place: a new load gets a new Secret, and the
 * provisioner deletes this one (with the loader's egress policy) as soon as the load ends.
 */
export function buildLoaderTokenSecret(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  secret: { name: string; token: string },
): Secret {
  const workspace = resolveWorkspace(spec, settings);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: checkedSecretName(secret.name),
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'loader' },
      },
      type: 'Opaque',
      immutable: true,
      stringData: { [LOADER_TOKEN_SECRET_KEY]: secret.token },
    },
    workspace.labels,
  );
}

/**
 * The Job that fills the data volume. Same restricted pod settings as the tool; it is the only pod that mounts
 * the data volume writable, and the only pod the loader egress policy lets out, to the API alone.
 */
export function buildLoaderJob(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: LoaderJobOptions,
): Job {
  const workspace = resolveWorkspace(spec, settings);
  const { loader } = settings;
  const extractId = canonicalUuid(options.extractId);
  if (!extractId) throw new RangeError(`extract id "${options.extractId}" is not a UUID`);
  const resources = { cpu: canonicalQuantity(loader.cpu), memory: canonicalQuantity(loader.memory) };
  const selector = componentSelector('loader', workspace.workspaceId);
  return stampCommonLabels(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: loaderJobName(extractId),
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'loader' },
      },
      spec: {
        backoffLimit: loader.backoffLimit,
        // A hung load must end (and fail the step) rather than hold the API path open.
        activeDeadlineSeconds: loader.activeDeadlineSeconds,
        // Honoured from 1.21 (GA in 1.23); a 1.20 server drops the field, so the provisioner deletes the Job
        // itself once the load has ended and does not count this field as drift.
        ttlSecondsAfterFinished: loader.ttlSecondsAfterFinished,
        template: {
          metadata: { labels: { ...selector } },
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
                name: 'loader',
                image: settings.loaderImage,
                imagePullPolicy: 'IfNotPresent',
                command: [...LOADER_COMMAND],
                env: [
                  { name: 'TRE_API_URL', value: settings.apiEgress.url },
                  { name: 'TRE_WORKSPACE_ID', value: workspace.workspaceId },
                  { name: 'TRE_PROJECT_ID', value: workspace.projectId },
                  { name: 'TRE_EXTRACT_ID', value: extractId },
                  { name: 'TRE_DATA_DIR', value: DATA_MOUNT_PATH },
                  {
                    name: 'TRE_LOAD_TOKEN',
                    valueFrom: {
                      secretKeyRef: {
                        name: checkedSecretName(options.tokenSecretName),
                        key: LOADER_TOKEN_SECRET_KEY,
                      },
                    },
                  },
                ],
                resources: { requests: { ...resources }, limits: { ...resources } },
                securityContext: restrictedContainerSecurityContext(loader),
                // The loader writes its one-line failure reason to /dev/termination-log; should it die before
                // it can, the tail of its logs stands in. The provisioner puts that message in the step's error.
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMounts: [
                  { name: WORKSPACE_OBJECT_NAMES.dataClaim, mountPath: DATA_MOUNT_PATH },
                  { name: 'scratch-0', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              {
                name: WORKSPACE_OBJECT_NAMES.dataClaim,
                persistentVolumeClaim: { claimName: WORKSPACE_OBJECT_NAMES.dataClaim },
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

/**
 * What a load applies, in order: first the path out, then the Job that uses it. The token Secret is made
 * separately (it carries the token, which these pure functions should not need to see to build the rest).
 * None of these belong to the steady state: the reconciler must not restore them.
 */
export function desiredLoaderObjects(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: LoaderJobOptions,
): [NetworkPolicy, Job] {
  return [buildLoaderEgressPolicy(spec, settings), buildLoaderJob(spec, settings, options)];
}
