import type { Namespace } from './kube-types';
import { POD_SECURITY_LABELS, stampCommonLabels } from './labels';
import { resolveWorkspace } from './resolve-workspace';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/**
 * The workspace's own namespace. Pod Security Admission enforces the restricted profile on clusters that have it
 * (1.23+); older servers store the labels without enforcing them, which is why the pod specs are also checked by
 * checkRestrictedProfile.
 */
export function buildNamespace(spec: WorkspaceSpec, settings: WorkspaceSettings): Namespace {
  const workspace = resolveWorkspace(spec, settings);
  return stampCommonLabels(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: workspace.namespace, labels: { ...POD_SECURITY_LABELS } },
    },
    workspace.labels,
  );
}
