/** One REST resource the fake serves, as discovery describes it. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** The plural, lower-case name in REST paths. */
  name: string;
  namespaced: boolean;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

/** The kinds our manifests use, plus Pod (the tests create one to see the quota refuse it). */
export const RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', name: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ResourceQuota', name: 'resourcequotas', namespaced: true },
  { group: '', version: 'v1', kind: 'LimitRange', name: 'limitranges', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', name: 'serviceaccounts', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    name: 'persistentvolumeclaims',
    namespaced: true,
  },
  { group: '', version: 'v1', kind: 'Service', name: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', name: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', name: 'pods', namespaced: true },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    name: 'networkpolicies',
    namespaced: true,
  },
  { group: 'apps', version: 'v1', kind: 'Deployment', name: 'deployments', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', name: 'jobs', namespaced: true },
];

export const apiVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

const groups = (): string[] => [...new Set(RESOURCES.map((type) => type.group).filter(Boolean))];

/** The answer to a discovery GET, or undefined when the path is not a discovery path. */
export function discovery(path: string): unknown {
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  }
  if (path === '/apis') {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups().map((group) => {
        const version = { groupVersion: `${group}/v1`, version: 'v1' };
        return { name: group, versions: [version], preferredVersion: version };
      }),
    };
  }
  if (path === '/version') {
    return { major: '1', minor: '20', gitVersion: 'v1.20.2-fake', platform: 'linux/amd64' };
  }
  const match = /^\/(?:api\/(v1)|apis\/([a-z0-9.-]+)\/(v1))$/.exec(path);
  if (!match) return undefined;
  const group = match[2] ?? '';
  const resources = RESOURCES.filter((type) => type.group === group);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/v1` : 'v1',
    resources: resources.map((type) => ({
      name: type.name,
      singularName: type.kind.toLowerCase(),
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: VERBS,
    })),
  };
}

/** A REST path taken apart: which resource, in which namespace, which object (absent for a collection). */
export interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
}

/**
 * Parses `/api/v1[/namespaces/<ns>]/<plural>[/<name>]` and `/apis/<group>/v1[/namespaces/<ns>]/<plural>[/<name>]`.
 * `/api/v1/namespaces/<name>` is the Namespace itself. Subresources (`/status`, `/finalize`) are not served.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const match = /^\/(?:api\/v1|apis\/([a-z0-9.-]+)\/v1)\/(.+)$/.exec(path);
  if (!match) return undefined;
  const group = match[1] ?? '';
  const segments = match[2].split('/').map(decodeURIComponent);
  let namespace: string | undefined;
  let rest = segments;
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    namespace = segments[1];
    rest = segments.slice(2);
  }
  if (rest.length > 2) return undefined;
  const type = RESOURCES.find((candidate) => candidate.group === group && candidate.name === rest[0]);
  if (!type || (namespace !== undefined && !type.namespaced)) return undefined;
  return { type, namespace, name: rest[1] };
}
