import type { PodSpec } from './kube-types';
import { WORKSPACE_OBJECT_NAMES } from './names';
import { containersOf, type ProfileViolation } from './restricted-profile';

/** House rules for workspace pods, stricter than the restricted profile. */
export type HardeningCheck =
  | 'automountServiceAccountToken'
  | 'serviceAccountName'
  | 'readOnlyRootFilesystem'
  | 'resourceLimits'
  | 'explicitIds'
  | 'hostAliases';

/**
 * What the restricted profile does not ask but a sealed workspace needs: no API token in the pod, our own
 * token-less service account, nothing written outside declared volumes, bounded resources, and ids that do not
 * depend on the image. The reconciler can run it on live pod templates, where a drift check of desired fields
 * alone would not see a field someone added.
 */
export function checkWorkspaceHardening(pod: PodSpec): ProfileViolation<HardeningCheck>[] {
  const violations: ProfileViolation<HardeningCheck>[] = [];
  if (pod.automountServiceAccountToken !== false) {
    violations.push({
      check: 'automountServiceAccountToken',
      path: 'automountServiceAccountToken',
      message: 'the pod must not mount a Kubernetes API token',
    });
  }
  if (pod.serviceAccountName !== WORKSPACE_OBJECT_NAMES.serviceAccount) {
    violations.push({
      check: 'serviceAccountName',
      path: 'serviceAccountName',
      message: `the pod must run as the "${WORKSPACE_OBJECT_NAMES.serviceAccount}" service account, which has no permissions`,
    });
  }
  const context = pod.securityContext ?? {};
  for (const id of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const value = context[id];
    if (value === undefined || value === 0) {
      violations.push({
        check: 'explicitIds',
        path: `securityContext.${id}`,
        message: `${id} must be set and non-zero`,
      });
    }
  }
  if (pod.hostAliases?.length) {
    violations.push({
      check: 'hostAliases',
      path: 'hostAliases',
      message: 'host aliases could redirect names the pod trusts',
    });
  }
  for (const { container, path } of containersOf(pod)) {
    if (container.securityContext?.readOnlyRootFilesystem !== true) {
      violations.push({
        check: 'readOnlyRootFilesystem',
        path: `${path}.securityContext.readOnlyRootFilesystem`,
        message: `${container.name}: the root filesystem must be read-only`,
      });
    }
    for (const resource of ['cpu', 'memory'] as const) {
      if (!container.resources?.limits?.[resource]) {
        violations.push({
          check: 'resourceLimits',
          path: `${path}.resources.limits.${resource}`,
          message: `${container.name}: needs a ${resource} limit`,
        });
      }
    }
  }
  return violations;
}
