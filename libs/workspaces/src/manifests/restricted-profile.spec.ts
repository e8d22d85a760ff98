import type { PodSpec } from './kube-types';
import { buildLoaderJob } from './loader';
import { checkRestrictedProfile, type RestrictedCheck } from './restricted-profile';
import { buildToolDeployment } from './tool';
import { checkWorkspaceHardening, type HardeningCheck } from './workspace-hardening';
import { EXTRACT_ID, TOKEN_SECRET, exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';

const settings = exampleSettings();
const toolPod = (): PodSpec =>
  structuredClone(buildToolDeployment(exampleSpec(), settings).spec.template.spec);
const loaderPod = (): PodSpec =>
  structuredClone(
    buildLoaderJob(exampleSpec(), settings, { extractId: EXTRACT_ID, tokenSecretName: TOKEN_SECRET }).spec
      .template.spec,
  );

function firstContainer(pod: PodSpec): NonNullable<PodSpec['containers'][number]> {
  const container = pod.containers[0];
  if (!container) throw new Error('no container');
  return container;
}

const securityOf = (pod: PodSpec) => {
  const container = firstContainer(pod);
  container.securityContext ??= {};
  return container.securityContext;
};

describe('checkRestrictedProfile', () => {
  it.each([
    ['tool', toolPod],
    ['loader', loaderPod],
  ])('finds nothing wrong with our %s pod', (_, pod) => {
    expect(checkRestrictedProfile(pod())).toEqual([]);
  });

  it.each<[string, (pod: PodSpec) => void, RestrictedCheck, string]>([
    ['host network', (pod) => (pod.hostNetwork = true), 'hostNamespaces', 'hostNetwork'],
    ['host PID', (pod) => (pod.hostPID = true), 'hostNamespaces', 'hostPID'],
    ['host IPC', (pod) => (pod.hostIPC = true), 'hostNamespaces', 'hostIPC'],
    [
      'a privileged container',
      (pod) => (securityOf(pod).privileged = true),
      'privileged',
      'containers[0].securityContext.privileged',
    ],
    [
      'privilege escalation allowed',
      (pod) => (securityOf(pod).allowPrivilegeEscalation = true),
      'allowPrivilegeEscalation',
      'containers[0].securityContext.allowPrivilegeEscalation',
    ],
    [
      'privilege escalation left unset',
      (pod) => delete securityOf(pod).allowPrivilegeEscalation,
      'allowPrivilegeEscalation',
      'containers[0].securityContext.allowPrivilegeEscalation',
    ],
    [
      'capabilities not dropped',
      (pod) => (securityOf(pod).capabilities = {}),
      'capabilities_restricted',
      'containers[0].securityContext.capabilities.drop',
    ],
    [
      'a capability added',
      (pod) => (securityOf(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }),
      'capabilities_restricted',
      'containers[0].securityContext.capabilities.add',
    ],
    [
      'runAsNonRoot false on the container',
      (pod) => (securityOf(pod).runAsNonRoot = false),
      'runAsNonRoot',
      'containers[0].securityContext.runAsNonRoot',
    ],
    [
      'runAsNonRoot set nowhere',
      (pod) => {
        delete securityOf(pod).runAsNonRoot;
        delete pod.securityContext?.runAsNonRoot;
      },
      'runAsNonRoot',
      'containers[0].securityContext.runAsNonRoot',
    ],
    [
      'root user on the pod',
      (pod) => ((pod.securityContext ??= {}).runAsUser = 0),
      'runAsUser',
      'securityContext.runAsUser',
    ],
    [
      'root user on the container',
      (pod) => (securityOf(pod).runAsUser = 0),
      'runAsUser',
      'containers[0].securityContext.runAsUser',
    ],
    [
      'seccomp unconfined on the container',
      (pod) => (securityOf(pod).seccompProfile = { type: 'Unconfined' }),
      'seccompProfile_restricted',
      'containers[0].securityContext.seccompProfile.type',
    ],
    [
      'seccomp unconfined on the pod',
      (pod) => ((pod.securityContext ??= {}).seccompProfile = { type: 'Unconfined' }),
      'seccompProfile_restricted',
      'securityContext.seccompProfile.type',
    ],
    [
      'seccomp set nowhere',
      (pod) => {
        delete securityOf(pod).seccompProfile;
        delete pod.securityContext?.seccompProfile;
      },
      'seccompProfile_restricted',
      'containers[0].securityContext.seccompProfile.type',
    ],
    [
      'a host path volume',
      (pod) => pod.volumes?.push({ name: 'node', hostPath: { path: '/' } }),
      'hostPathVolumes',
      'volumes[5].hostPath',
    ],
    [
      'an NFS volume',
      (pod) => pod.volumes?.push({ name: 'share', nfs: { server: 'x', path: '/' } }),
      'restrictedVolumes',
      'volumes[5].nfs',
    ],
    [
      'a host port',
      (pod) => (firstContainer(pod).ports = [{ containerPort: 80, hostPort: 80 }]),
      'hostPorts',
      'containers[0].ports[0].hostPort',
    ],
    [
      'an unsafe sysctl',
      (pod) => ((pod.securityContext ??= {}).sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
      'sysctls',
      'securityContext.sysctls[0]',
    ],
    [
      'a custom SELinux user',
      (pod) => (securityOf(pod).seLinuxOptions = { user: 'root' }),
      'seLinuxOptions',
      'containers[0].securityContext.seLinuxOptions.user',
    ],
    [
      'an unconfined SELinux type',
      (pod) => ((pod.securityContext ??= {}).seLinuxOptions = { type: 'spc_t' }),
      'seLinuxOptions',
      'securityContext.seLinuxOptions.type',
    ],
    [
      'an unmasked /proc',
      (pod) => (securityOf(pod).procMount = 'Unmasked'),
      'procMount',
      'containers[0].securityContext.procMount',
    ],
    [
      'AppArmor unconfined',
      (pod) => (securityOf(pod).appArmorProfile = { type: 'Unconfined' }),
      'appArmorProfile',
      'containers[0].securityContext.appArmorProfile.type',
    ],
    [
      'a Windows host process',
      (pod) => (securityOf(pod).windowsOptions = { hostProcess: true }),
      'windowsHostProcess',
      'containers[0].securityContext.windowsOptions.hostProcess',
    ],
    [
      'an init container without the settings',
      (pod) => (pod.initContainers = [{ name: 'init', image: 'x' }]),
      'allowPrivilegeEscalation',
      'initContainers[0].securityContext.allowPrivilegeEscalation',
    ],
  ])('names %s', (_, breakIt, check, path) => {
    const pod = toolPod();
    breakIt(pod);
    expect(checkRestrictedProfile(pod)).toContainEqual(expect.objectContaining({ check, path }));
  });

  it('lists every violation of a thoroughly bad pod, not just the first', () => {
    const checks = checkRestrictedProfile({
      hostNetwork: true,
      containers: [{ name: 'bad', image: 'x', securityContext: { privileged: true, runAsUser: 0 } }],
    }).map((violation) => violation.check);
    expect(new Set(checks)).toEqual(
      new Set([
        'hostNamespaces',
        'privileged',
        'allowPrivilegeEscalation',
        'capabilities_restricted',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
      ]),
    );
  });
});

describe('checkWorkspaceHardening', () => {
  it.each<[string, (pod: PodSpec) => void, HardeningCheck]>([
    [
      'a mounted API token',
      (pod) => (pod.automountServiceAccountToken = true),
      'automountServiceAccountToken',
    ],
    [
      'the token default left on',
      (pod) => delete pod.automountServiceAccountToken,
      'automountServiceAccountToken',
    ],
    ['the default service account', (pod) => (pod.serviceAccountName = 'default'), 'serviceAccountName'],
    [
      'a writable root filesystem',
      (pod) => (securityOf(pod).readOnlyRootFilesystem = false),
      'readOnlyRootFilesystem',
    ],
    ['no memory limit', (pod) => delete firstContainer(pod).resources?.limits?.memory, 'resourceLimits'],
    ['ids left to the image', (pod) => delete pod.securityContext?.fsGroup, 'explicitIds'],
    ['host aliases', (pod) => (pod.hostAliases = [{ ip: '1.2.3.4', hostnames: ['api'] }]), 'hostAliases'],
  ])('names %s', (_, breakIt, check) => {
    const pod = toolPod();
    expect(checkWorkspaceHardening(pod)).toEqual([]);
    breakIt(pod);
    expect(checkWorkspaceHardening(pod).map((violation) => violation.check)).toContain(check);
  });
});
