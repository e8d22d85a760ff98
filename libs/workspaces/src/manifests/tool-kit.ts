import type { Container, EnvVar, Volume, VolumeMount } from './kube-types';
import { TOOL_KIT_MOUNT_PATH } from './names';
import { restrictedContainerSecurityContext } from './security-context';
import type { WorkspaceSettings } from './workspace-settings';

/**
 * How `tre sdc` reaches the researcher inside a workspace's tool, whatever the tool's image: an init container
 * of this service's image (the loader's) copies the tool kit into an emptyDir, which the tool's container
 * mounts read-only at /opt/tre, with /opt/tre/bin first on its PATH. The kit (assembled by the Dockerfile at
 * TOOL_KIT_SOURCE) is `bin/tre`, a shell wrapper; `lib/tre-sdc.js`, the single-file bundle of `tre sdc` that
 * `npm run build` makes (scripts/bundle-tre-sdc.cjs); and `lib/node`, the image's own node binary, so the tool
 * needs no Node of its own. That binary is linked against glibc (2.28 or newer) and libstdc++, which every
 * Debian- or Ubuntu-based tool image has (Jupyter's, Rocker's, code-server's); a musl (Alpine) tool image
 * cannot run it.
 */
export const TOOL_KIT_SOURCE = '/opt/tre-kit';
export const TOOL_KIT_VOLUME = 'tre-kit';
/** Room for the kit: node is about 100 MiB, the bundle about 200 KiB. */
export const TOOL_KIT_SIZE_LIMIT = '256Mi';
/** The copy's own small share; below every tool size, so the pod's effective request stays the tool's. */
export const TOOL_KIT_RESOURCES = { cpu: '100m', memory: '128Mi' } as const;
/**
 * The PATH of a Debian-based image, used when the tool's settings give none: Kubernetes can replace an image's
 * PATH but not add to it, so a tool whose image puts its programs elsewhere (Jupyter's /opt/conda/bin) names
 * its PATH in its `env` and /opt/tre/bin is put before it.
 */
export const DEFAULT_TOOL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function toolKitVolume(): Volume {
  return { name: TOOL_KIT_VOLUME, emptyDir: { sizeLimit: TOOL_KIT_SIZE_LIMIT } };
}

/** Read-only in the tool: what the researcher runs is what the service image shipped. */
export function toolKitMount(): VolumeMount {
  return { name: TOOL_KIT_VOLUME, mountPath: TOOL_KIT_MOUNT_PATH, readOnly: true };
}

/** The tool's PATH: the kit's bin first, then the tool's own (its `env.PATH`) or a Debian default. */
export function toolKitEnv(toolPath: string | undefined): EnvVar {
  return { name: 'PATH', value: `${TOOL_KIT_MOUNT_PATH}/bin:${toolPath || DEFAULT_TOOL_PATH}` };
}

/** Copies the kit and exits; restricted like every other container, as the service image's own user. */
export function toolKitInitContainer(settings: WorkspaceSettings): Container {
  return {
    name: 'tre-kit',
    image: settings.loaderImage,
    imagePullPolicy: 'IfNotPresent',
    // No shell: cp alone. `/.` copies the folder's content, keeping the wrapper's and node's execute bits.
    command: ['cp', '-R', `${TOOL_KIT_SOURCE}/.`, `${TOOL_KIT_MOUNT_PATH}/`],
    resources: { requests: { ...TOOL_KIT_RESOURCES }, limits: { ...TOOL_KIT_RESOURCES } },
    securityContext: restrictedContainerSecurityContext(settings.loader),
    volumeMounts: [{ name: TOOL_KIT_VOLUME, mountPath: TOOL_KIT_MOUNT_PATH }],
  };
}
