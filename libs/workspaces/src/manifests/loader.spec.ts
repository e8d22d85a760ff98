import { COMPONENT_LABEL, WORKSPACE_ID_LABEL } from './labels';
import { buildLoaderJob, buildLoaderTokenSecret, desiredLoaderObjects } from './loader';
import { checkRestrictedProfile } from './restricted-profile';
import { checkWorkspaceHardening } from './workspace-hardening';
import {
  EXTRACT_ID,
  PROJECT_ID,
  TOKEN_SECRET,
  WORKSPACE_ID,
  exampleSettings,
  exampleSpec,
} from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const options = { extractId: EXTRACT_ID, tokenSecretName: TOKEN_SECRET };

describe('loader Job', () => {
  const job = buildLoaderJob(exampleSpec(), settings, options);
  const pod = job.spec.template.spec;
  const [container] = pod.containers;

  it('passes the restricted profile and the house rules', () => {
    expect(checkRestrictedProfile(pod)).toEqual([]);
    expect(checkWorkspaceHardening(pod)).toEqual([]);
  });

  it("runs this service's image as `tre workspace load`, named after the extract", () => {
    expect(job.metadata.name).toBe(`load-extract-${EXTRACT_ID}`);
    expect(container?.image).toBe(settings.loaderImage);
    expect(container?.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'workspace', 'load']);
    expect(pod.securityContext).toMatchObject({
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: settings.fsGroup,
    });
  });

  it('shares the volume group with the tool, so what it writes the tool can read', () => {
    expect(pod.securityContext?.fsGroup).toBe(settings.fsGroup);
  });

  it('is the one pod that mounts the data volume writable', () => {
    expect(container?.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data' } });
    expect(container?.volumeMounts?.map((mount) => mount.name)).not.toContain('outputs');
  });

  it('reads the token from the named Secret and never holds it in the spec', () => {
    expect(container?.env).toEqual([
      { name: 'TRE_API_URL', value: 'http://10.96.0.50:3000' },
      { name: 'TRE_WORKSPACE_ID', value: WORKSPACE_ID },
      { name: 'TRE_PROJECT_ID', value: PROJECT_ID },
      { name: 'TRE_EXTRACT_ID', value: EXTRACT_ID },
      { name: 'TRE_DATA_DIR', value: '/data' },
      { name: 'TRE_LOAD_TOKEN', valueFrom: { secretKeyRef: { name: TOKEN_SECRET, key: 'token' } } },
    ]);
  });

  it('is bounded: retries, a deadline and clean-up after it finishes', () => {
    expect(job.spec).toMatchObject({
      backoffLimit: 2,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 600,
    });
    expect(pod.restartPolicy).toBe('Never');
  });

  it('reports why it failed as its termination message, falling back to its logs', () => {
    expect(container?.terminationMessagePolicy).toBe('FallbackToLogsOnError');
  });

  it('labels its pods as the loader, which the egress policy selects', () => {
    expect(job.spec.template.metadata.labels).toMatchObject({
      [COMPONENT_LABEL]: 'loader',
      [WORKSPACE_ID_LABEL]: WORKSPACE_ID,
    });
  });

  it.each([
    [{ extractId: 'nope', tokenSecretName: TOKEN_SECRET }],
    [{ extractId: EXTRACT_ID, tokenSecretName: 'Bad_Name' }],
  ])('refuses bad options %j', (bad) => {
    expect(() => buildLoaderJob(exampleSpec(), settings, bad)).toThrow(RangeError);
  });
});

describe('loader token Secret and the load set', () => {
  it('is an immutable Secret holding the token under its key', () => {
    const secret = buildLoaderTokenSecret(exampleSpec(), settings, { name: TOKEN_SECRET, token: 'one-time' });
    expect(secret).toMatchObject({ type: 'Opaque', immutable: true, stringData: { token: 'one-time' } });
    expect(secret.metadata.name).toBe(TOKEN_SECRET);
  });

  it('applies the egress policy before the Job that needs it', () => {
    expect(desiredLoaderObjects(exampleSpec(), settings, options).map((object) => object.kind)).toEqual([
      'NetworkPolicy',
      'Job',
    ]);
  });
});
