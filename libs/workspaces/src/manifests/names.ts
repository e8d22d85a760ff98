/**
 * Names of the objects in a workspace namespace. They are fixed rather than derived from the tool or size, so a
 * change of tool or size patches the same objects instead of leaving the old ones behind.
 */
export const WORKSPACE_OBJECT_NAMES = {
  serviceAccount: 'workspace',
  dataClaim: 'data',
  outputsClaim: 'outputs',
  defaultDenyPolicy: 'default-deny',
  gatewayIngressPolicy: 'allow-gateway-ingress',
  loaderEgressPolicy: 'allow-loader-egress',
  resourceQuota: 'workspace-quota',
  limitRange: 'workspace-limits',
  toolDeployment: 'tool',
  toolService: 'tool',
} as const;

/** Where the volumes appear in every container that mounts them (the tool and the loader agree on these). */
export const DATA_MOUNT_PATH = '/data';
export const OUTPUTS_MOUNT_PATH = '/outputs';
/** Where `tre sdc` appears in the tool's container (read-only), copied there by the tool pod's init container. */
export const TOOL_KIT_MOUNT_PATH = '/opt/tre';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL_MAX_LENGTH = 63;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Kubernetes names namespaces, services and label values by this rule; anything else is a 422. */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS_1123_LABEL_MAX_LENGTH && DNS_1123_LABEL.test(value);
}

/** Lower-case canonical form of a UUID, or undefined if it is not one (ids become names and label values). */
export function canonicalUuid(value: string): string | undefined {
  const lower = value.toLowerCase();
  return UUID.test(lower) ? lower : undefined;
}

/** 36 characters: the prefix may be at most 27 for the name to fit a DNS-1123 label. */
export const UUID_LENGTH = 36;
export const MAX_NAMESPACE_PREFIX_LENGTH = DNS_1123_LABEL_MAX_LENGTH - UUID_LENGTH;

/**
 * The namespace of a workspace: the prefix followed by the full workspace id. The whole id (not a hash or a
 * shortened form) keeps the mapping one-to-one and readable, and a UUID only holds characters a label allows.
 */
export function workspaceNamespaceName(namespacePrefix: string, workspaceId: string): string {
  const id = canonicalUuid(workspaceId);
  const name = `${namespacePrefix}${id ?? workspaceId}`;
  if (!id || !isDns1123Label(name)) {
    throw new RangeError(
      `"${name}" is not a valid namespace name (a DNS-1123 label of at most 63 characters)`,
    );
  }
  return name;
}

/** One Job per extract: a retried load applies the same Job, a new extract gets a new one (Job specs are immutable). */
export function loaderJobName(extractId: string): string {
  const id = canonicalUuid(extractId);
  if (!id) throw new RangeError(`extract id "${extractId}" is not a UUID`);
  return `load-extract-${id}`;
}
