import type { LimitRange, ResourceQuota } from './kube-types';
import { stampCommonLabels } from './labels';
import { WORKSPACE_OBJECT_NAMES } from './names';
import { addQuantities, canonicalQuantity, compareQuantities } from './quantity';
import { resolveWorkspace } from './resolve-workspace';
import { TOOL_KIT_RESOURCES } from './tool-kit';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

const larger = (left: string, right: string): string =>
  canonicalQuantity(compareQuantities(left, right) >= 0 ? left : right);

/**
 * The namespace's ceiling. CPU and memory cover the tool and the loader at once, since a reload may run beside
 * a running tool. The tool pod's effective request is the larger of its init container's (the `tre sdc` kit
 * copy) and the tool's: the tool's, unless a size is configured below the copy's small share. Services are capped at the one ClusterIP we make and load balancers and node ports at zero,
 * so even a mistaken manifest cannot publish a workspace outside the cluster.
 */
export function buildResourceQuota(spec: WorkspaceSpec, settings: WorkspaceSettings): ResourceQuota {
  const workspace = resolveWorkspace(spec, settings);
  const { size } = workspace;
  const cpu = addQuantities(larger(size.cpu, TOOL_KIT_RESOURCES.cpu), settings.loader.cpu);
  const memory = addQuantities(larger(size.memory, TOOL_KIT_RESOURCES.memory), settings.loader.memory);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: WORKSPACE_OBJECT_NAMES.resourceQuota, namespace: workspace.namespace, labels: {} },
      spec: {
        hard: {
          'requests.cpu': cpu,
          'limits.cpu': cpu,
          'requests.memory': memory,
          'limits.memory': memory,
          pods: String(size.pods),
          persistentvolumeclaims: '2',
          'requests.storage': addQuantities(size.storage.data, size.storage.outputs),
          services: '1',
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    },
    workspace.labels,
  );
}

/**
 * Per-object bounds. With a cpu/memory quota in place the server refuses any pod without limits; the defaults
 * give such a pod the loader's small share instead, and the maxima stop one pod taking more than the largest
 * workload we run. Note `default` is the API's field name: @kubernetes/client-node's typed LimitRangeItem calls
 * it `_default` and would drop a key named `default`, so this object must be sent as plain JSON.
 */
export function buildLimitRange(spec: WorkspaceSpec, settings: WorkspaceSettings): LimitRange {
  const workspace = resolveWorkspace(spec, settings);
  const { size } = workspace;
  const { loader } = settings;
  const small = { cpu: canonicalQuantity(loader.cpu), memory: canonicalQuantity(loader.memory) };
  return stampCommonLabels<LimitRange>(
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: WORKSPACE_OBJECT_NAMES.limitRange, namespace: workspace.namespace, labels: {} },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { ...small },
            defaultRequest: { ...small },
            max: {
              cpu: larger(larger(size.cpu, loader.cpu), TOOL_KIT_RESOURCES.cpu),
              memory: larger(larger(size.memory, loader.memory), TOOL_KIT_RESOURCES.memory),
            },
          },
          {
            type: 'PersistentVolumeClaim',
            max: { storage: larger(size.storage.data, size.storage.outputs) },
          },
        ],
      },
    },
    workspace.labels,
  );
}
