import type { Container, PodSpec, SecurityContext } from './kube-types';

/**
 * The Pod Security Standards' restricted profile (baseline included), as a pure check of a pod spec.
 * Pod Security Admission enforces it from Kubernetes 1.23; older servers (the local 1.20 among them) only store
 * the namespace labels, so the provisioner and the tests run this instead. Check ids are PSA's own, so a
 * violation here reads like the server's refusal would. AppArmor annotations live on pod metadata and are out
 * of a pod spec's reach; the appArmorProfile field is checked.
 */
export type RestrictedCheck =
  | 'windowsHostProcess'
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities_restricted'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'appArmorProfile'
  | 'seLinuxOptions'
  | 'procMount'
  | 'seccompProfile_restricted'
  | 'sysctls'
  | 'restrictedVolumes'
  | 'allowPrivilegeEscalation'
  | 'runAsNonRoot'
  | 'runAsUser';

export interface ProfileViolation<Check extends string = RestrictedCheck> {
  check: Check;
  /** Where in the pod spec, e.g. `containers[0].securityContext.allowPrivilegeEscalation`. */
  path: string;
  message: string;
}

const ALLOWED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const ALLOWED_SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const CONFINED_PROFILE_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** Every container of the pod with the path prefix PSA would report for it. */
export function containersOf(pod: PodSpec): { container: Container; path: string }[] {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((field) =>
    (pod[field] ?? []).map((container, index) => ({ container, path: `${field}[${index}]` })),
  );
}

function seLinuxViolations(options: SecurityContext['seLinuxOptions'], path: string): ProfileViolation[] {
  if (!options) return [];
  const violations: ProfileViolation[] = [];
  if (!ALLOWED_SELINUX_TYPES.has(options.type ?? '')) {
    violations.push({
      check: 'seLinuxOptions',
      path: `${path}.type`,
      message: `SELinux type ${options.type} is not allowed`,
    });
  }
  for (const field of ['user', 'role'] as const) {
    if (options[field]) {
      violations.push({
        check: 'seLinuxOptions',
        path: `${path}.${field}`,
        message: `SELinux ${field} must not be set`,
      });
    }
  }
  return violations;
}

function containerViolations(pod: PodSpec, container: Container, path: string): ProfileViolation[] {
  const context = container.securityContext ?? {};
  const at = `${path}.securityContext`;
  const violations: ProfileViolation[] = [];
  const add = (check: RestrictedCheck, field: string, message: string): void => {
    violations.push({ check, path: `${at}.${field}`, message: `${container.name}: ${message}` });
  };
  if (context.windowsOptions?.hostProcess)
    add('windowsHostProcess', 'windowsOptions.hostProcess', 'runs as a host process');
  if (context.privileged) add('privileged', 'privileged', 'is privileged');
  if (context.allowPrivilegeEscalation !== false) {
    add('allowPrivilegeEscalation', 'allowPrivilegeEscalation', 'must set allowPrivilegeEscalation to false');
  }
  if (!(context.capabilities?.drop ?? []).includes('ALL'))
    add('capabilities_restricted', 'capabilities.drop', 'must drop ALL');
  const added = (context.capabilities?.add ?? []).filter((capability) => capability !== 'NET_BIND_SERVICE');
  if (added.length > 0) add('capabilities_restricted', 'capabilities.add', `adds ${added.join(', ')}`);
  if (context.procMount !== undefined && context.procMount !== 'Default')
    add('procMount', 'procMount', 'unmasks /proc');
  if (context.appArmorProfile && !CONFINED_PROFILE_TYPES.has(context.appArmorProfile.type)) {
    add('appArmorProfile', 'appArmorProfile.type', `AppArmor ${context.appArmorProfile.type} is not allowed`);
  }
  violations.push(...seLinuxViolations(context.seLinuxOptions, `${at}.seLinuxOptions`));
  if (
    context.runAsNonRoot === false ||
    (context.runAsNonRoot === undefined && pod.securityContext?.runAsNonRoot !== true)
  ) {
    add('runAsNonRoot', 'runAsNonRoot', 'must run as non-root (runAsNonRoot: true here or on the pod)');
  }
  if (context.runAsUser === 0) add('runAsUser', 'runAsUser', 'runs as user 0');
  const seccomp = context.seccompProfile?.type;
  if (
    seccomp !== undefined
      ? !CONFINED_PROFILE_TYPES.has(seccomp)
      : !CONFINED_PROFILE_TYPES.has(pod.securityContext?.seccompProfile?.type ?? '')
  ) {
    add(
      'seccompProfile_restricted',
      'seccompProfile.type',
      'needs seccomp RuntimeDefault or Localhost (here or on the pod)',
    );
  }
  (container.ports ?? []).forEach((port, index) => {
    if (port.hostPort) {
      violations.push({
        check: 'hostPorts',
        path: `${path}.ports[${index}].hostPort`,
        message: `${container.name}: binds host port ${port.hostPort}`,
      });
    }
  });
  return violations;
}

function podViolations(pod: PodSpec): ProfileViolation[] {
  const violations: ProfileViolation[] = [];
  const context = pod.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[field])
      violations.push({
        check: 'hostNamespaces',
        path: field,
        message: `${field} shares the node's namespace`,
      });
  }
  if (context.windowsOptions?.hostProcess) {
    violations.push({
      check: 'windowsHostProcess',
      path: 'securityContext.windowsOptions.hostProcess',
      message: 'runs as a host process',
    });
  }
  if (context.runAsUser === 0)
    violations.push({ check: 'runAsUser', path: 'securityContext.runAsUser', message: 'runs as user 0' });
  if (context.seccompProfile && !CONFINED_PROFILE_TYPES.has(context.seccompProfile.type)) {
    violations.push({
      check: 'seccompProfile_restricted',
      path: 'securityContext.seccompProfile.type',
      message: `seccomp ${context.seccompProfile.type} is not allowed`,
    });
  }
  if (context.appArmorProfile && !CONFINED_PROFILE_TYPES.has(context.appArmorProfile.type)) {
    violations.push({
      check: 'appArmorProfile',
      path: 'securityContext.appArmorProfile.type',
      message: `AppArmor ${context.appArmorProfile.type} is not allowed`,
    });
  }
  violations.push(...seLinuxViolations(context.seLinuxOptions, 'securityContext.seLinuxOptions'));
  (context.sysctls ?? []).forEach((sysctl, index) => {
    if (!SAFE_SYSCTLS.has(sysctl.name)) {
      violations.push({
        check: 'sysctls',
        path: `securityContext.sysctls[${index}]`,
        message: `sysctl ${sysctl.name} is not safe`,
      });
    }
  });
  (pod.volumes ?? []).forEach((volume, index) => {
    for (const source of Object.keys(volume).filter((key) => key !== 'name')) {
      if (source === 'hostPath') {
        violations.push({
          check: 'hostPathVolumes',
          path: `volumes[${index}].hostPath`,
          message: `${volume.name} mounts a host path`,
        });
      } else if (!ALLOWED_VOLUME_SOURCES.has(source)) {
        violations.push({
          check: 'restrictedVolumes',
          path: `volumes[${index}].${source}`,
          message: `${volume.name} uses a ${source} volume`,
        });
      }
    }
  });
  return violations;
}

/** Every violation of the restricted profile in a pod spec; an empty list means the profile admits it. */
export function checkRestrictedProfile(pod: PodSpec): ProfileViolation[] {
  return [
    ...podViolations(pod),
    ...containersOf(pod).flatMap(({ container, path }) => containerViolations(pod, container, path)),
  ];
}
