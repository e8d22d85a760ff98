import type { NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyPeer } from './kube-types';
import { componentSelector, stampCommonLabels } from './labels';
import { WORKSPACE_OBJECT_NAMES } from './names';
import { resolveWorkspace, type ResolvedWorkspace } from './resolve-workspace';
import type { PeerSelector, WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

/**
 * NetworkPolicies are additive: traffic is allowed if any policy selecting the pod allows it. So the default
 * deny closes everything, and each other policy opens exactly one path for one kind of pod. Egress is opened
 * only by the loader policy, which exists only while an extract loads.
 */

export function policy(
  workspace: ResolvedWorkspace,
  name: string,
  spec: NetworkPolicy['spec'],
): NetworkPolicy {
  return stampCommonLabels(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: workspace.namespace, labels: {} },
      spec,
    },
    workspace.labels,
  );
}

/** One peer that must match both selectors (a namespace AND pods in it), never either of them. */
export function selectorPeer(selector: PeerSelector): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { ...selector.namespaceLabels } },
    ...(selector.podLabels && Object.keys(selector.podLabels).length > 0
      ? { podSelector: { matchLabels: { ...selector.podLabels } } }
      : {}),
  };
}

/**
 * Every pod, both directions, no rules. The empty rule lists are written out (rather than left absent) so that
 * "no rules" is a field the drift check compares: a rule added by hand shows up as drift and is repaired.
 */
export function buildDefaultDenyPolicy(spec: WorkspaceSpec, settings: WorkspaceSettings): NetworkPolicy {
  const workspace = resolveWorkspace(spec, settings);
  return policy(workspace, WORKSPACE_OBJECT_NAMES.defaultDenyPolicy, {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [],
    egress: [],
  });
}

/** The gateway, and only the gateway, may open connections to the tool's port (replies flow back statefully). */
export function buildGatewayIngressPolicy(spec: WorkspaceSpec, settings: WorkspaceSettings): NetworkPolicy {
  const workspace = resolveWorkspace(spec, settings);
  return policy(workspace, WORKSPACE_OBJECT_NAMES.gatewayIngressPolicy, {
    podSelector: { matchLabels: componentSelector('tool', workspace.workspaceId) },
    policyTypes: ['Ingress'],
    ingress: [
      { from: [selectorPeer(settings.gateway)], ports: [{ protocol: 'TCP', port: workspace.tool.port }] },
    ],
  });
}

/** UDP and TCP (large answers fall back to TCP). */
export const DNS_PORTS = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
] as const;

/**
 * Applied while the loader Job runs, deleted with its token afterwards: the loader's pods may reach the API's
 * port and nothing else. DNS is opened only when settings.apiEgress.dns is configured; by default the API is
 * addressed by IP, so a workspace never gets a DNS path out (DNS queries can carry data).
 */
export function buildLoaderEgressPolicy(spec: WorkspaceSpec, settings: WorkspaceSettings): NetworkPolicy {
  const workspace = resolveWorkspace(spec, settings);
  const { apiEgress } = settings;
  const apiPeer: NetworkPolicyPeer =
    'cidr' in apiEgress.to ? { ipBlock: { cidr: apiEgress.to.cidr } } : selectorPeer(apiEgress.to);
  const egress: NetworkPolicyEgressRule[] = [
    { to: [apiPeer], ports: [{ protocol: 'TCP', port: apiEgress.port }] },
  ];
  if (apiEgress.dns) {
    egress.push({ to: [selectorPeer(apiEgress.dns)], ports: DNS_PORTS.map((port) => ({ ...port })) });
  }
  return policy(workspace, WORKSPACE_OBJECT_NAMES.loaderEgressPolicy, {
    podSelector: { matchLabels: componentSelector('loader', workspace.workspaceId) },
    policyTypes: ['Egress'],
    egress,
  });
}
