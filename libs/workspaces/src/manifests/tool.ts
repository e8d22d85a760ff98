import type { Container, Deployment, EnvVar, Service, Volume, VolumeMount } from './kube-types';
import { COMPONENT_LABEL, NAME_LABEL, componentSelector, stampCommonLabels } from './labels';
import { DATA_MOUNT_PATH, OUTPUTS_MOUNT_PATH, WORKSPACE_OBJECT_NAMES } from './names';
import { toolKitEnv, toolKitInitContainer, toolKitMount, toolKitVolume } from './tool-kit';
import { canonicalQuantity } from './quantity';
import { resolveWorkspace, type ResolvedWorkspace } from './resolve-workspace';
import {
  SCRATCH_SIZE_LIMIT,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from './security-context';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

export interface ToolDeploymentOptions {
  /** 1 when running, 0 while the workspace is suspended (the volumes and policies stay). */
  replicas?: number;
}

/** Variables the service sets; a tool's own env from config cannot override them. */
function workspaceEnv(workspace: ResolvedWorkspace): EnvVar[] {
  return [
    { name: 'TRE_WORKSPACE_ID', value: workspace.workspaceId },
    { name: 'TRE_PROJECT_ID', value: workspace.projectId },
    { name: 'TRE_DATA_DIR', value: DATA_MOUNT_PATH },
    { name: 'TRE_OUTPUTS_DIR', value: OUTPUTS_MOUNT_PATH },
  ];
}

function toolEnv(workspace: ResolvedWorkspace): EnvVar[] {
  const own = [...workspaceEnv(workspace), toolKitEnv(workspace.tool.env.PATH)];
  const reserved = new Set(own.map((variable) => variable.name));
  const configured = Object.entries(workspace.tool.env)
    .filter(([name]) => !reserved.has(name))
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([name, value]) => ({ name, value }));
  return [...configured, ...own];
}

/** emptyDirs for every path the tool must write, since its root filesystem is read-only. */
function scratchVolumes(workspace: ResolvedWorkspace): { volumes: Volume[]; mounts: VolumeMount[] } {
  const paths = ['/tmp', ...workspace.tool.writablePaths];
  return {
    volumes: paths.map((_, index) => ({
      name: `scratch-${index}`,
      emptyDir: { sizeLimit: SCRATCH_SIZE_LIMIT },
    })),
    mounts: paths.map((mountPath, index) => ({ name: `scratch-${index}`, mountPath })),
  };
}

function toolContainer(workspace: ResolvedWorkspace, scratchMounts: VolumeMount[]): Container {
  const { tool, size } = workspace;
  const resources = { cpu: canonicalQuantity(size.cpu), memory: canonicalQuantity(size.memory) };
  return {
    name: 'tool',
    image: tool.image,
    imagePullPolicy: 'IfNotPresent',
    ...(tool.command ? { command: [...tool.command] } : {}),
    ...(tool.args ? { args: [...tool.args] } : {}),
    env: toolEnv(workspace),
    ports: [{ name: 'http', containerPort: tool.port, protocol: 'TCP' }],
    readinessProbe: { tcpSocket: { port: tool.port }, periodSeconds: 10 },
    resources: { requests: { ...resources }, limits: { ...resources } },
    securityContext: restrictedContainerSecurityContext(tool),
    volumeMounts: [
      { name: WORKSPACE_OBJECT_NAMES.dataClaim, mountPath: DATA_MOUNT_PATH, readOnly: true },
      { name: WORKSPACE_OBJECT_NAMES.outputsClaim, mountPath: OUTPUTS_MOUNT_PATH },
      toolKitMount(),
      ...scratchMounts,
    ],
  };
}

/** The analysis tool, from the allow-list only. */
export function buildToolDeployment(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: ToolDeploymentOptions = {},
): Deployment {
  const workspace = resolveWorkspace(spec, settings);
  const replicas = options.replicas ?? 1;
  if (replicas !== 0 && replicas !== 1)
    throw new RangeError(`a workspace runs 0 or 1 tool replicas, not ${replicas}`);
  const selector = componentSelector('tool', workspace.workspaceId);
  const scratch = scratchVolumes(workspace);
  return stampCommonLabels(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: WORKSPACE_OBJECT_NAMES.toolDeployment,
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'tool', [NAME_LABEL]: workspace.toolName },
      },
      spec: {
        replicas,
        revisionHistoryLimit: 2,
        selector: { matchLabels: selector },
        // The volumes are ReadWriteOnce: the old pod must let go of them before the new one starts.
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { ...selector, [NAME_LABEL]: workspace.toolName } },
          spec: {
            serviceAccountName: WORKSPACE_OBJECT_NAMES.serviceAccount,
            automountServiceAccountToken: false,
            // Service links would list the cluster's services to the tool; it has no use for them.
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext({
              runAsUser: workspace.tool.runAsUser,
              runAsGroup: workspace.tool.runAsGroup,
              fsGroup: settings.fsGroup,
            }),
            // `tre sdc` for the researcher: copied from this service's image before the tool starts.
            initContainers: [toolKitInitContainer(settings)],
            containers: [toolContainer(workspace, scratch.mounts)],
            volumes: [
              {
                name: WORKSPACE_OBJECT_NAMES.dataClaim,
                // Read-only at the claim as well as at the mount, so no other mount of it could write.
                persistentVolumeClaim: { claimName: WORKSPACE_OBJECT_NAMES.dataClaim, readOnly: true },
              },
              {
                name: WORKSPACE_OBJECT_NAMES.outputsClaim,
                persistentVolumeClaim: { claimName: WORKSPACE_OBJECT_NAMES.outputsClaim },
              },
              toolKitVolume(),
              ...scratch.volumes,
            ],
          },
        },
      },
    },
    workspace.labels,
  );
}

/** A ClusterIP Service the gateway proxies to; never NodePort or LoadBalancer (the quota forbids those too). */
export function buildToolService(spec: WorkspaceSpec, settings: WorkspaceSettings): Service {
  const workspace = resolveWorkspace(spec, settings);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: WORKSPACE_OBJECT_NAMES.toolService,
        namespace: workspace.namespace,
        labels: { [COMPONENT_LABEL]: 'tool', [NAME_LABEL]: workspace.toolName },
      },
      spec: {
        type: 'ClusterIP',
        selector: componentSelector('tool', workspace.workspaceId),
        ports: [
          { name: 'http', protocol: 'TCP', port: workspace.tool.port, targetPort: workspace.tool.port },
        ],
      },
    },
    workspace.labels,
  );
}
