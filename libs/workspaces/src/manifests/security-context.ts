import type { PodSecurityContext, SecurityContext } from './kube-types';

/** The ids a workspace pod runs as. All three must be non-zero: the restricted profile refuses root. */
export interface PodIdentity {
  runAsUser: number;
  runAsGroup: number;
  fsGroup: number;
}

/**
 * Pod-level settings of the Pod Security Standards' restricted profile. The ids are given explicitly rather than
 * trusted from the image, so runAsNonRoot never depends on what an image's USER line says.
 */
export function restrictedPodSecurityContext(identity: PodIdentity): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: identity.runAsUser,
    runAsGroup: identity.runAsGroup,
    fsGroup: identity.fsGroup,
    // Re-owning a large data volume on every start is slow; only do it when the root of the volume is wrong.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container-level settings: the restricted profile (no escalation, all capabilities dropped, non-root, seccomp)
 * plus a read-only root filesystem, so whatever the tool writes goes to volumes we declare and can account for.
 */
export function restrictedContainerSecurityContext(identity: Omit<PodIdentity, 'fsGroup'>): SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: identity.runAsUser,
    runAsGroup: identity.runAsGroup,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Scratch space (an emptyDir on the node's disk) is capped so a workspace cannot fill the node. */
export const SCRATCH_SIZE_LIMIT = '1Gi';
