import type { Container, Deployment } from './kube-types';
import { COMPONENT_LABEL, WORKSPACE_ID_LABEL } from './labels';
import { checkRestrictedProfile } from './restricted-profile';
import { buildToolDeployment, buildToolService } from './tool';
import { checkWorkspaceHardening } from './workspace-hardening';
import { UnknownToolError } from './workspace-errors';
import { WORKSPACE_ID, exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';
import type { WorkspaceTool } from './workspace-settings';

const settings = exampleSettings();

function onlyContainer(deployment: Deployment): Container {
  const [container, ...others] = deployment.spec.template.spec.containers;
  expect(others).toEqual([]);
  if (!container) throw new Error('no container');
  return container;
}

describe('tool Deployment', () => {
  const deployment = buildToolDeployment(exampleSpec(), settings);
  const pod = deployment.spec.template.spec;
  const container = onlyContainer(deployment);

  it.each<WorkspaceTool>(['jupyterlab', 'code-server'])(
    'passes the restricted profile and the house rules (%s)',
    (tool) => {
      const podSpec = buildToolDeployment(exampleSpec({ tool }), settings).spec.template.spec;
      expect(checkRestrictedProfile(podSpec)).toEqual([]);
      expect(checkWorkspaceHardening(podSpec)).toEqual([]);
    },
  );

  it('runs the allow-listed image with its own ids, one replica by default', () => {
    expect(container.image).toBe('quay.io/jupyter/minimal-notebook:2024-07-02');
    expect(deployment.spec.replicas).toBe(1);
    expect(pod.securityContext).toMatchObject({
      runAsUser: 1000,
      runAsGroup: 100,
      fsGroup: 2000,
      runAsNonRoot: true,
    });
  });

  it('carries the restricted container settings explicitly', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 100,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('mounts no API token and runs as the token-less service account', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('workspace');
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('mounts the data read-only (at the mount and the claim) and the outputs writable', () => {
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'data', mountPath: '/data', readOnly: true },
        { name: 'outputs', mountPath: '/outputs' },
      ]),
    );
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
        { name: 'outputs', persistentVolumeClaim: { claimName: 'outputs' } },
      ]),
    );
  });

  it('gives /tmp and the configured home capped emptyDirs, since the root is read-only', () => {
    expect(container.volumeMounts?.filter((mount) => mount.name.startsWith('scratch-'))).toEqual([
      { name: 'scratch-0', mountPath: '/tmp' },
      { name: 'scratch-1', mountPath: '/home/jovyan' },
    ]);
    expect(pod.volumes?.filter((volume) => volume.name.startsWith('scratch-'))).toEqual([
      { name: 'scratch-0', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'scratch-1', emptyDir: { sizeLimit: '1Gi' } },
    ]);
  });

  it('sets requests equal to limits from the size', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '1', memory: '2Gi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    const large = onlyContainer(buildToolDeployment(exampleSpec({ size: 'large' }), settings));
    expect(large.resources?.limits).toEqual({ cpu: '8', memory: '32Gi' });
  });

  it('sets the workspace variables last, so configured env cannot override them', () => {
    const overriding = exampleSettings({
      toolImages: { jupyterlab: { image: 'x:1', port: 8888, env: { TRE_DATA_DIR: '/', B: '2', A: '1' } } },
    });
    const env = onlyContainer(buildToolDeployment(exampleSpec(), overriding)).env;
    expect(env?.map((variable) => variable.name)).toEqual([
      'A',
      'B',
      'TRE_WORKSPACE_ID',
      'TRE_PROJECT_ID',
      'TRE_DATA_DIR',
      'TRE_OUTPUTS_DIR',
      'PATH',
    ]);
    expect(env?.find((variable) => variable.name === 'TRE_DATA_DIR')?.value).toBe('/data');
  });

  describe('tre sdc in the tool (the tool kit)', () => {
    const [init, ...otherInits] = pod.initContainers ?? [];

    it("copies the kit from this service's image into an emptyDir, with cp alone, as the service's user", () => {
      expect(otherInits).toEqual([]);
      expect(init).toMatchObject({
        name: 'tre-kit',
        image: settings.loaderImage,
        command: ['cp', '-R', '/opt/tre-kit/.', '/opt/tre/'],
        volumeMounts: [{ name: 'tre-kit', mountPath: '/opt/tre' }],
      });
      expect(pod.volumes).toContainEqual({ name: 'tre-kit', emptyDir: { sizeLimit: '256Mi' } });
    });

    it('runs the copy restricted like every other container, with its own small requests equal to limits', () => {
      expect(init?.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(init?.resources).toEqual({
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '100m', memory: '128Mi' },
      });
    });

    it("mounts the kit read-only in the tool and puts its bin first on the tool's PATH", () => {
      expect(container.volumeMounts).toContainEqual({
        name: 'tre-kit',
        mountPath: '/opt/tre',
        readOnly: true,
      });
      const path = (deployment: Deployment) =>
        onlyContainer(deployment).env?.find((variable) => variable.name === 'PATH')?.value;
      // The tool's own PATH from its settings, else a Debian default: Kubernetes replaces an image's PATH.
      const own = exampleSettings({
        toolImages: {
          jupyterlab: { image: 'x:1', port: 8888, env: { PATH: '/opt/conda/bin:/usr/bin:/bin' } },
        },
      });
      expect(path(buildToolDeployment(exampleSpec(), own))).toBe('/opt/tre/bin:/opt/conda/bin:/usr/bin:/bin');
      const none = exampleSettings({ toolImages: { jupyterlab: { image: 'x:1', port: 8888 } } });
      expect(path(buildToolDeployment(exampleSpec(), none))).toBe(
        '/opt/tre/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      );
    });
  });

  it('selects its pods by component and workspace, and replaces pods rather than rolling (RWO volumes)', () => {
    const selector = { [COMPONENT_LABEL]: 'tool', [WORKSPACE_ID_LABEL]: WORKSPACE_ID };
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('scales to zero for suspension and refuses more than one replica', () => {
    expect(buildToolDeployment(exampleSpec(), settings, { replicas: 0 }).spec.replicas).toBe(0);
    expect(() => buildToolDeployment(exampleSpec(), settings, { replicas: 2 })).toThrow(RangeError);
  });

  it('builds nothing for a tool outside the allow-list', () => {
    expect(() => buildToolDeployment(exampleSpec({ tool: 'rstudio' }), settings)).toThrow(UnknownToolError);
  });
});

describe('tool Service', () => {
  it('is a ClusterIP on the tool port, selecting the tool pods', () => {
    const service = buildToolService(exampleSpec(), settings);
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { [COMPONENT_LABEL]: 'tool', [WORKSPACE_ID_LABEL]: WORKSPACE_ID },
      ports: [{ name: 'http', protocol: 'TCP', port: 8888, targetPort: 8888 }],
    });
  });
});
