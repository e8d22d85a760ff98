import { driftBetween, manifestsEqual } from './drift';
import { buildLoaderTokenSecret } from './loader';
import { buildResourceQuota } from './resource-limits';
import { buildDefaultDenyPolicy, buildGatewayIngressPolicy } from './network-policies';
import { buildToolDeployment } from './tool';
import { exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const spec = exampleSpec();

/** What the server hands back: our fields plus its own metadata, defaults and status. */
function asLive<T extends { metadata: object }>(desired: T): T & Record<string, unknown> {
  const live: T & Record<string, unknown> = structuredClone(desired);
  Object.assign(live.metadata, {
    uid: '5d9f1c1e-0000-4000-8000-000000000000',
    resourceVersion: '4711',
    generation: 3,
    creationTimestamp: '2025-01-01T00:00:00Z',
    managedFields: [{ manager: 'tre', operation: 'Apply' }],
  });
  Object.assign(live, { status: { observedGeneration: 3 } });
  return live;
}

describe('driftBetween', () => {
  it('finds none between an object and its own live copy with server fields and defaults added', () => {
    const deployment = buildToolDeployment(spec, settings);
    const live = asLive(deployment);
    live.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
    Object.assign(live.spec.template.spec, { dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    Object.assign(live.metadata.labels, { 'some.operator/annotated': 'yes' });
    expect(driftBetween(deployment, live)).toEqual([]);
    expect(manifestsEqual(deployment, live)).toBe(true);
  });

  it('compares quantities by value, as the server rewrites them', () => {
    const quota = buildResourceQuota(spec, settings);
    const live = asLive(quota);
    live.spec.hard['requests.cpu'] = '1500m';
    live.spec.hard['limits.memory'] = '2560Mi';
    expect(quota.spec.hard['requests.cpu']).toBe('1500m');
    live.spec.hard['requests.storage'] = '15360Mi';
    expect(driftBetween(quota, live)).toEqual([]);
  });

  it.each<
    [string, (live: ReturnType<typeof asLive<ReturnType<typeof buildDefaultDenyPolicy>>>) => void, string]
  >([
    [
      'an egress rule added to the default deny',
      (live) => (live.spec.egress = [{ to: [], ports: [] }]),
      'spec.egress',
    ],
    [
      'a narrowed pod selector',
      (live) => (live.spec.podSelector = { matchLabels: { a: 'b' } }),
      'spec.podSelector',
    ],
    ['a policy type removed', (live) => (live.spec.policyTypes = ['Ingress']), 'spec.policyTypes'],
    [
      'a management label removed',
      (live) => delete live.metadata.labels['tre.workspace-id'],
      'metadata.labels["tre.workspace-id"]',
    ],
  ])('reports %s', (_, edit, path) => {
    const policy = buildDefaultDenyPolicy(spec, settings);
    const live = asLive(policy);
    edit(live);
    expect(driftBetween(policy, live).map((drift) => drift.path)).toEqual([path]);
  });

  it('treats an omitted empty list as the empty list the server stores it as', () => {
    const policy = buildDefaultDenyPolicy(spec, settings);
    const live = asLive(policy);
    delete live.spec.ingress;
    delete live.spec.egress;
    expect(driftBetween(policy, live)).toEqual([]);
  });

  it('reports a gateway rule opened to every namespace, with desired and live values', () => {
    const policy = buildGatewayIngressPolicy(spec, settings);
    const live = asLive(policy);
    live.spec.ingress![0].from[0].namespaceSelector = {};
    expect(driftBetween(policy, live)).toEqual([
      {
        path: 'spec.ingress[0].from[0].namespaceSelector.matchLabels',
        desired: { 'tre.gateway': 'true' },
        live: undefined,
      },
    ]);
  });

  it('reports an edited quota, a changed image and a token turned on', () => {
    const quota = buildResourceQuota(spec, settings);
    const liveQuota = asLive(quota);
    liveQuota.spec.hard['limits.memory'] = '64Gi';
    expect(driftBetween(quota, liveQuota).map((drift) => drift.path)).toEqual(['spec.hard["limits.memory"]']);

    const deployment = buildToolDeployment(spec, settings);
    const liveDeployment = asLive(deployment);
    liveDeployment.spec.template.spec.containers[0].image = 'evil:latest';
    liveDeployment.spec.template.spec.automountServiceAccountToken = true;
    expect(driftBetween(deployment, liveDeployment).map((drift) => drift.path)).toEqual([
      'spec.template.spec.automountServiceAccountToken',
      'spec.template.spec.containers[0].image',
    ]);
  });

  it('reports a missing object as drift of every field', () => {
    const policy = buildDefaultDenyPolicy(spec, settings);
    expect(manifestsEqual(policy, undefined)).toBe(false);
  });

  it('compares a Secret as the server stores it and never puts its value in the report', () => {
    const secret = buildLoaderTokenSecret(spec, settings, { name: 'load-token', token: 'one-time' });
    const live = asLive({
      ...secret,
      stringData: undefined,
      data: { token: Buffer.from('one-time').toString('base64') },
    });
    expect(driftBetween(secret, live)).toEqual([]);
    live.data = { token: Buffer.from('swapped').toString('base64') };
    const report = driftBetween(secret, live);
    expect(report).toEqual([{ path: 'data.token', desired: '<redacted>', live: '<redacted>' }]);
    expect(JSON.stringify(report)).not.toMatch(/one-time|swapped|b25lLXRpbWU/);
  });
});
