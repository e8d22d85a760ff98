import {
  buildCollectorEgressPolicy,
  buildCollectorJob,
  buildCollectorTokenSecret,
  collectorObjectNames,
} from './collector';
import { COLLECT_GRANT_LABEL, COMPONENT_LABEL, WORKSPACE_ID_LABEL } from './labels';
import { checkRestrictedProfile } from './restricted-profile';
import { checkWorkspaceHardening } from './workspace-hardening';
import { WORKSPACE_ID, exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const GRANT = '5b0c3a1e-7d2f-4c6a-9e8b-1f2a3b4c5d6e';
const REQUEST = '9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b';
const options = { grantId: GRANT, requestId: REQUEST, activeDeadlineSeconds: 300 };

describe('collector Job', () => {
  const job = buildCollectorJob(exampleSpec(), settings, options);
  const pod = job.spec.template.spec;
  const [container] = pod.containers;

  it('passes the restricted profile and the house rules', () => {
    expect(checkRestrictedProfile(pod)).toEqual([]);
    expect(checkWorkspaceHardening(pod)).toEqual([]);
  });

  it("runs this service's image as `tre workspace collect`, named after its grant", () => {
    expect(job.metadata.name).toBe(`collect-${GRANT}`);
    expect(container?.image).toBe(settings.loaderImage);
    expect(container?.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'workspace', 'collect']);
  });

  it('is non-root with a read-only root filesystem and no service-account token', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container?.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('mounts the outputs volume read-only, and no other claim', () => {
    expect(container?.volumeMounts).toContainEqual({
      name: 'outputs',
      mountPath: '/outputs',
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual({
      name: 'outputs',
      persistentVolumeClaim: { claimName: 'outputs', readOnly: true },
    });
    expect(pod.volumes?.filter((v) => v.persistentVolumeClaim).map((v) => v.name)).toEqual(['outputs']);
  });

  it('reads its token from its own Secret, never from the spec', () => {
    expect(container?.env).toEqual([
      { name: 'TRE_API_URL', value: 'http://10.96.0.50:3000' },
      { name: 'TRE_OUTPUT_REQUEST_ID', value: REQUEST },
      { name: 'TRE_OUTPUTS_DIR', value: '/outputs' },
      {
        name: 'TRE_COLLECT_TOKEN',
        valueFrom: { secretKeyRef: { name: `collect-token-${GRANT}`, key: 'token' } },
      },
    ]);
  });

  it('runs once within its deadline', () => {
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300 });
    expect(pod.restartPolicy).toBe('Never');
    expect(() =>
      buildCollectorJob(exampleSpec(), settings, { ...options, activeDeadlineSeconds: 0 }),
    ).toThrow(/deadline/);
  });

  it('refuses ids that are not UUIDs', () => {
    expect(() => buildCollectorJob(exampleSpec(), settings, { ...options, grantId: '../x' })).toThrow(
      RangeError,
    );
    expect(() => buildCollectorJob(exampleSpec(), settings, { ...options, requestId: 'x' })).toThrow(
      RangeError,
    );
  });
});

describe("collector's egress policy and token Secret", () => {
  const policy = buildCollectorEgressPolicy(exampleSpec(), settings, options);
  const job = buildCollectorJob(exampleSpec(), settings, options);

  it("admits only this collection's collector pods, to the API's port alone", () => {
    expect(policy.metadata.name).toBe(`collect-egress-${GRANT}`);
    expect(policy.spec.podSelector).toEqual({
      matchLabels: {
        [COMPONENT_LABEL]: 'collector',
        [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
        [COLLECT_GRANT_LABEL]: GRANT,
      },
    });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress?.[0]?.ports).toEqual([{ protocol: 'TCP', port: 3000 }]);
    // The Job's pods carry every label the policy selects on; no other pod does (the tool is 'tool').
    expect(job.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels ?? {});
  });

  it('holds the token in an immutable Secret named after the grant', () => {
    const secret = buildCollectorTokenSecret(exampleSpec(), settings, { grantId: GRANT, token: 'trec_x' });
    expect(secret).toMatchObject({
      metadata: { name: collectorObjectNames(GRANT).secret },
      immutable: true,
      stringData: { token: 'trec_x' },
    });
  });
});
