import { startFakeKube, type FakeKube } from '@tre/testing';
import { KubernetesDriver } from '../cluster/kubernetes-driver';
import {
  buildCollectorEgressPolicy,
  buildCollectorJob,
  buildCollectorTokenSecret,
  collectorObjectNames,
} from './collector';
import { driftBetween } from './drift';
import type { Job } from './kube-types';
import { COLLECT_GRANT_LABEL, COMPONENT_LABEL, WORKSPACE_ID_LABEL } from './labels';
import { workspaceNamespaceName } from './names';
import { buildNamespace } from './namespace';
import { checkRestrictedProfile } from './restricted-profile';
import { checkWorkspaceHardening } from './workspace-hardening';
import { WORKSPACE_ID, exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const GRANT = '7c6b5a4f-3e2d-4c1b-9a8f-7e6d5c4b3a2f';
const LISTING = '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f';
/** The namespace the workspace's row names, made under an earlier prefix than today's settings give. */
const ROW_NAMESPACE = `tre-old-${WORKSPACE_ID}`;
const spec = exampleSpec({ namespace: ROW_NAMESPACE });
const options = { grantId: GRANT, listingId: LISTING, activeDeadlineSeconds: 300 };

describe('collector Job in list mode', () => {
  const job = buildCollectorJob(spec, settings, options);
  const pod = job.spec.template.spec;
  const [container] = pod.containers;

  it('is the same hardened collector: restricted profile, non-root, read-only root, no token, volume read-only', () => {
    expect(checkRestrictedProfile(pod)).toEqual([]);
    expect(checkWorkspaceHardening(pod)).toEqual([]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container?.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(container?.volumeMounts).toContainEqual({
      name: 'outputs',
      mountPath: '/outputs',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({
      name: 'outputs',
      persistentVolumeClaim: { claimName: 'outputs', readOnly: true },
    });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300 });
  });

  it('names the listing, never a request, and reads its token from its own Secret', () => {
    expect(container?.env).toEqual([
      { name: 'TRE_API_URL', value: 'http://10.96.0.50:3000' },
      { name: 'TRE_OUTPUT_LISTING_ID', value: LISTING },
      { name: 'TRE_OUTPUTS_DIR', value: '/outputs' },
      {
        name: 'TRE_COLLECT_TOKEN',
        valueFrom: { secretKeyRef: { name: `collect-token-${GRANT}`, key: 'token' } },
      },
    ]);
  });

  it('goes to the namespace the workspace row names, not the one the prefix derives', () => {
    expect(workspaceNamespaceName(settings.namespacePrefix, WORKSPACE_ID)).not.toBe(ROW_NAMESPACE);
    const policy = buildCollectorEgressPolicy(spec, settings, options);
    const secret = buildCollectorTokenSecret(spec, settings, { grantId: GRANT, token: 'trec_x' });
    expect([job, policy, secret].map((o) => o.metadata.namespace)).toEqual([
      ROW_NAMESPACE,
      ROW_NAMESPACE,
      ROW_NAMESPACE,
    ]);
    expect(() => buildCollectorJob({ ...spec, namespace: 'Not A Label' }, settings, options)).toThrow(
      /namespace: must be a DNS label/,
    );
  });

  it('serves exactly one of a request and a listing, each named by a UUID', () => {
    expect(() =>
      buildCollectorJob(spec, settings, { ...options, requestId: '9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b' }),
    ).toThrow(/exactly one/);
    expect(() => buildCollectorJob(spec, settings, { grantId: GRANT, activeDeadlineSeconds: 300 })).toThrow(
      /exactly one/,
    );
    expect(() => buildCollectorJob(spec, settings, { ...options, listingId: '../x' })).toThrow(RangeError);
  });
});

describe('the list-mode objects against the fake API server', () => {
  let kube: FakeKube;
  let driver: KubernetesDriver;

  beforeEach(async () => {
    kube = await startFakeKube();
    driver = KubernetesDriver.create({ kubeconfigPath: kube.kubeconfigPath, requestTimeoutMs: 2000 });
  });
  afterEach(() => kube.close());

  it('are stored as built in the row’s namespace, the policy selecting the Job’s pods alone, and deleted by name', async () => {
    const names = collectorObjectNames(GRANT);
    const secret = buildCollectorTokenSecret(spec, settings, { grantId: GRANT, token: 'trec_listing' });
    const policy = buildCollectorEgressPolicy(spec, settings, options);
    const job = buildCollectorJob(spec, settings, options);
    await driver.apply(buildNamespace(spec, settings));
    expect(await driver.create(secret)).toBe(true);
    await driver.apply(policy);
    const live = await driver.apply(job);
    expect(live.metadata.uid).toBeTruthy();
    expect(driftBetween(job, await driver.get('Job', ROW_NAMESPACE, names.job))).toEqual([]);
    expect(driftBetween(policy, await driver.get('NetworkPolicy', ROW_NAMESPACE, names.policy))).toEqual([]);
    const stored = (await driver.get('Job', ROW_NAMESPACE, names.job)) as unknown as Job;
    expect(stored.spec.template.metadata.labels).toMatchObject({
      [COMPONENT_LABEL]: 'collector',
      [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
      [COLLECT_GRANT_LABEL]: GRANT,
    });
    expect(policy.spec.podSelector.matchLabels).toEqual({
      [COMPONENT_LABEL]: 'collector',
      [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
      [COLLECT_GRANT_LABEL]: GRANT,
    });
    expect(
      (await driver.listLabelled('Job', ROW_NAMESPACE, `${COMPONENT_LABEL}=collector`)).map(
        (o) => o.metadata.name,
      ),
    ).toEqual([names.job]);
    for (const [kind, name] of [
      ['Job', names.job],
      ['Secret', names.secret],
      ['NetworkPolicy', names.policy],
    ] as const)
      expect(await driver.delete(kind, ROW_NAMESPACE, name)).toBe(true);
    expect(kube.objects().map((o) => o.kind)).toEqual(['Namespace']);
  });
});
