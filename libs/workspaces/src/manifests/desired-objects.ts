import type { WorkspaceObject } from './kube-types';
import { buildNamespace } from './namespace';
import { buildDefaultDenyPolicy, buildGatewayIngressPolicy } from './network-policies';
import { buildLimitRange, buildResourceQuota } from './resource-limits';
import { buildServiceAccount } from './service-account';
import { buildToolDeployment, buildToolService, type ToolDeploymentOptions } from './tool';
import { buildDataClaim, buildOutputsClaim } from './volumes';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/**
 * The steady state of a workspace, in the order a provisioner applies it: the namespace; then the walls (deny
 * all traffic, quota and limits) before anything could run; then the identity and the volumes; the workload
 * last. Applied in this order, there is no moment when a pod exists without its policies and quota.
 * The loader's policy and Job are not here: they exist only during a load (see desiredLoaderObjects).
 */
export function desiredWorkspaceObjects(
  spec: WorkspaceSpec,
  settings: WorkspaceSettings,
  options: ToolDeploymentOptions = {},
): WorkspaceObject[] {
  return [
    buildNamespace(spec, settings),
    buildDefaultDenyPolicy(spec, settings),
    buildResourceQuota(spec, settings),
    buildLimitRange(spec, settings),
    buildGatewayIngressPolicy(spec, settings),
    buildServiceAccount(spec, settings),
    buildDataClaim(spec, settings),
    buildOutputsClaim(spec, settings),
    buildToolDeployment(spec, settings, options),
    buildToolService(spec, settings),
  ];
}
