import type { KubeObject, Labels } from './kube-types';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'tre';
export const WORKSPACE_ID_LABEL = 'tre.workspace-id';
export const PROJECT_ID_LABEL = 'tre.project-id';
/** Which workload a pod belongs to; the network policies select pods by it. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const NAME_LABEL = 'app.kubernetes.io/name';

export type WorkspaceComponent = 'tool' | 'loader' | 'collector';
/** On a collector's objects and pods: the collect grant they serve, so each collection is selected alone. */
export const COLLECT_GRANT_LABEL = 'tre.collect-grant';

/** Pod Security Admission: enforce, audit and warn the restricted profile, at the newest version of it. */
export const POD_SECURITY_LABELS: Readonly<Labels> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
};

/**
 * Labels on every object of a workspace (pod templates included). The reconciler finds what we manage by them,
 * and teardown and audit can tie any object back to its workspace and project without reading its namespace.
 */
export function commonLabels(ids: { workspaceId: string; projectId: string }): Labels {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [WORKSPACE_ID_LABEL]: ids.workspaceId,
    [PROJECT_ID_LABEL]: ids.projectId,
  };
}

/**
 * A copy of the object with the common labels merged in last, so no builder can drop or override them by
 * accident, and (for workloads) its pod template stamped too.
 */
export function stampCommonLabels<T extends KubeObject>(object: T, common: Labels): T {
  const stamped: T = {
    ...object,
    metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...common } },
  };
  const spec = (stamped as { spec?: { template?: { metadata: { labels: Labels } } } }).spec;
  if (spec?.template) {
    const template = { ...spec.template, metadata: { ...spec.template.metadata } };
    template.metadata.labels = { ...template.metadata.labels, ...common };
    (stamped as unknown as { spec: object }).spec = { ...spec, template };
  }
  return stamped;
}

/** The labels that select one workload's pods inside a workspace namespace. */
export function componentSelector(component: WorkspaceComponent, workspaceId: string): Labels {
  return { [COMPONENT_LABEL]: component, [WORKSPACE_ID_LABEL]: workspaceId };
}
