import type { ServiceAccount } from './kube-types';
import { stampCommonLabels } from './labels';
import { WORKSPACE_OBJECT_NAMES } from './names';
import { resolveWorkspace } from './resolve-workspace';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/**
 * The identity workspace pods run as. No RoleBinding names it, so it has no API permissions, and its token is
 * not mounted: code in the workspace has no credential for the Kubernetes API at all. (Pods also say
 * automountServiceAccountToken: false, so neither setting alone is load-bearing.)
 */
export function buildServiceAccount(spec: WorkspaceSpec, settings: WorkspaceSettings): ServiceAccount {
  const workspace = resolveWorkspace(spec, settings);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: WORKSPACE_OBJECT_NAMES.serviceAccount, namespace: workspace.namespace, labels: {} },
      automountServiceAccountToken: false,
    },
    workspace.labels,
  );
}
