import { desiredWorkspaceObjects } from './desired-objects';
import type { NetworkPolicy } from './kube-types';
import { COMPONENT_LABEL, WORKSPACE_ID_LABEL } from './labels';
import {
  buildDefaultDenyPolicy,
  buildGatewayIngressPolicy,
  buildLoaderEgressPolicy,
} from './network-policies';
import { WORKSPACE_ID, exampleSettings, exampleSpec, ofKind } from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const spec = exampleSpec();

describe('default-deny policy', () => {
  it('selects every pod, covers both directions and allows nothing', () => {
    expect(buildDefaultDenyPolicy(spec, settings).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    });
  });
});

describe('gateway ingress policy', () => {
  const policy = buildGatewayIngressPolicy(spec, settings);

  it('applies to the tool pods only and says nothing about egress', () => {
    expect(policy.spec.podSelector.matchLabels).toEqual({
      [COMPONENT_LABEL]: 'tool',
      [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
    });
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.egress).toBeUndefined();
  });

  it('admits one peer, the gateway namespace AND its pods, on the tool port only', () => {
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'tre.gateway': 'true' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'tre-gateway' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8888 }],
      },
    ]);
  });

  it('follows the tool: code-server is admitted on its own port', () => {
    const codeServer = buildGatewayIngressPolicy(exampleSpec({ tool: 'code-server' }), settings);
    expect(codeServer.spec.ingress?.[0]?.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });
});

describe('loader egress policy', () => {
  it('lets only the loader pods reach only the API address and port, with no DNS by default', () => {
    const policy = buildLoaderEgressPolicy(spec, settings);
    expect(policy.spec.podSelector.matchLabels).toEqual({
      [COMPONENT_LABEL]: 'loader',
      [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
    });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.96.0.50/32' } }], ports: [{ protocol: 'TCP', port: 3000 }] },
    ]);
    expect(JSON.stringify(policy)).not.toContain('53');
  });

  it('with a selector and DNS configured, opens the API pods and the DNS pods on port 53 only', () => {
    const withDns = exampleSettings({
      apiEgress: {
        url: 'http://tre-api.tre.svc:3000',
        port: 3000,
        to: { namespaceLabels: { 'tre.api': 'true' }, podLabels: { app: 'tre-api' } },
        dns: { namespaceLabels: { 'tre.dns': 'true' }, podLabels: { 'k8s-app': 'kube-dns' } },
      },
    });
    expect(buildLoaderEgressPolicy(spec, withDns).spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'tre.api': 'true' } },
            podSelector: { matchLabels: { app: 'tre-api' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 3000 }],
      },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'tre.dns': 'true' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });
});

describe('the steady state opens no egress at all', () => {
  const policies: NetworkPolicy[] = ofKind(desiredWorkspaceObjects(spec, settings), 'NetworkPolicy');

  it('holds the default deny and the gateway policy, and not the loader policy', () => {
    expect(policies.map((policy) => policy.metadata.name)).toEqual(['default-deny', 'allow-gateway-ingress']);
  });

  it('has no egress rule in any policy', () => {
    expect(policies.flatMap((policy) => policy.spec.egress ?? [])).toEqual([]);
  });

  it('has exactly one ingress rule, from the gateway', () => {
    const rules = policies.flatMap((policy) => policy.spec.ingress ?? []);
    expect(rules).toHaveLength(1);
    expect(rules[0]?.from[0]?.namespaceSelector?.matchLabels).toEqual({ 'tre.gateway': 'true' });
  });
});
