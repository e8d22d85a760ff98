import type { PersistentVolumeClaim } from './kube-types';
import { stampCommonLabels } from './labels';
import { WORKSPACE_OBJECT_NAMES } from './names';
import { canonicalQuantity } from './quantity';
import { resolveWorkspace, type ResolvedWorkspace } from './resolve-workspace';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

function claim(workspace: ResolvedWorkspace, name: string, storage: string): PersistentVolumeClaim {
  const { storageClassName } = workspace.settings;
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: workspace.namespace, labels: {} },
      spec: {
        // One node at a time: the tool and the loader never need the volume from two nodes.
        accessModes: ['ReadWriteOnce'],
        ...(storageClassName ? { storageClassName } : {}),
        resources: { requests: { storage: canonicalQuantity(storage) } },
      },
    },
    workspace.labels,
  );
}

/** The extract's volume: written once by the loader Job, mounted read-only by the tool. */
export function buildDataClaim(spec: WorkspaceSpec, settings: WorkspaceSettings): PersistentVolumeClaim {
  const workspace = resolveWorkspace(spec, settings);
  return claim(workspace, WORKSPACE_OBJECT_NAMES.dataClaim, workspace.size.storage.data);
}

/**
 * Where the researcher writes results: the tool's one writable volume (the data volume is mounted read-only).
 * The service itself never reads it: outputs reach the airlock as files uploaded to an output request.
 */
export function buildOutputsClaim(spec: WorkspaceSpec, settings: WorkspaceSettings): PersistentVolumeClaim {
  const workspace = resolveWorkspace(spec, settings);
  return claim(workspace, WORKSPACE_OBJECT_NAMES.outputsClaim, workspace.size.storage.outputs);
}
