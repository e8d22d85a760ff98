import { desiredWorkspaceObjects } from './desired-objects';
import type { KubeObject, PodSpec, WorkspaceObject } from './kube-types';
import { checkRestrictedProfile } from './restricted-profile';
import { checkWorkspaceHardening } from './workspace-hardening';
import { exampleSettings, exampleSpec, ofKind } from './workspace-fixtures.spec-helper';
import { WORKSPACE_SIZES, type WorkspaceTool } from './workspace-settings';

/**
 * What a security reviewer reads the manifests for, each as a predicate over the whole steady state, and each
 * paired with the edit that would remove that protection. The first test shows every property holds for every
 * tool and size; the second shows each predicate really notices its protection gone (so none passes vacuously).
 */
const settings = exampleSettings();
const TOOLS: WorkspaceTool[] = ['jupyterlab', 'code-server'];

const podsOf = (objects: WorkspaceObject[]): PodSpec[] => [
  ...ofKind(objects, 'Deployment').map((deployment) => deployment.spec.template.spec),
  ...ofKind(objects, 'Job').map((job) => job.spec.template.spec),
];
const firstPod = (objects: WorkspaceObject[]): PodSpec => {
  const pod = podsOf(objects)[0];
  if (!pod) throw new Error('no pod');
  return pod;
};
const policy = (objects: WorkspaceObject[], name: string) =>
  ofKind(objects, 'NetworkPolicy').find((candidate) => candidate.metadata.name === name);
const labelled = (object: KubeObject): boolean =>
  object.metadata.labels['app.kubernetes.io/managed-by'] === 'tre' &&
  /^[0-9a-f-]{36}$/.test(object.metadata.labels['tre.workspace-id'] ?? '') &&
  /^[0-9a-f-]{36}$/.test(object.metadata.labels['tre.project-id'] ?? '');

interface SafetyProperty {
  name: string;
  holds: (objects: WorkspaceObject[]) => boolean;
  weaken: (objects: WorkspaceObject[]) => void;
}

const PROPERTIES: SafetyProperty[] = [
  {
    name: 'the namespace comes first and enforces, audits and warns the restricted profile',
    holds: ([first]) =>
      first?.kind === 'Namespace' &&
      ['enforce', 'audit', 'warn'].every(
        (mode) => first.metadata.labels[`pod-security.kubernetes.io/${mode}`] === 'restricted',
      ),
    weaken: ([first]) => {
      if (first) first.metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    },
  },
  {
    name: 'every object and pod template carries the managed-by and id labels',
    holds: (objects) =>
      objects.every(labelled) &&
      [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].every((workload) =>
        labelled({
          ...workload,
          metadata: { ...workload.metadata, labels: workload.spec.template.metadata.labels },
        }),
      ),
    weaken: (objects) => {
      const quota = ofKind(objects, 'ResourceQuota')[0];
      if (quota) delete quota.metadata.labels['tre.project-id'];
    },
  },
  {
    name: 'a policy denies ingress and egress to every pod',
    holds: (objects) =>
      ofKind(objects, 'NetworkPolicy').some(
        ({ spec }) =>
          Object.keys(spec.podSelector).length === 0 &&
          spec.policyTypes.includes('Ingress') &&
          spec.policyTypes.includes('Egress') &&
          (spec.ingress ?? []).length === 0 &&
          (spec.egress ?? []).length === 0,
      ),
    weaken: (objects) => {
      const deny = policy(objects, 'default-deny');
      if (deny) deny.spec.policyTypes = ['Ingress'];
    },
  },
  {
    name: 'no policy opens egress',
    holds: (objects) =>
      ofKind(objects, 'NetworkPolicy').every(({ spec }) => (spec.egress ?? []).length === 0),
    weaken: (objects) => {
      const deny = policy(objects, 'default-deny');
      if (deny) deny.spec.egress = [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [] }];
    },
  },
  {
    name: 'ingress comes only from the labelled gateway, only to the tool port',
    holds: (objects) => {
      const port = ofKind(objects, 'Service')[0]?.spec.ports[0]?.port;
      return ofKind(objects, 'NetworkPolicy')
        .flatMap(({ spec }) => spec.ingress ?? [])
        .every(
          (rule) =>
            rule.from.length > 0 &&
            rule.from.every(
              (peer) => !peer.ipBlock && Object.keys(peer.namespaceSelector?.matchLabels ?? {}).length > 0,
            ) &&
            rule.ports.length > 0 &&
            rule.ports.every((rulePort) => rulePort.port === port),
        );
    },
    weaken: (objects) => {
      const gateway = policy(objects, 'allow-gateway-ingress');
      if (gateway?.spec.ingress?.[0]) gateway.spec.ingress[0].from = [{ namespaceSelector: {} }];
    },
  },
  {
    name: 'the service account mounts no token',
    holds: (objects) =>
      ofKind(objects, 'ServiceAccount').every((account) => !account.automountServiceAccountToken),
    weaken: (objects) => {
      const account = ofKind(objects, 'ServiceAccount')[0];
      if (account) account.automountServiceAccountToken = true;
    },
  },
  {
    name: 'every pod passes the restricted profile',
    holds: (objects) => podsOf(objects).every((pod) => checkRestrictedProfile(pod).length === 0),
    weaken: (objects) => {
      const context = firstPod(objects).containers[0]?.securityContext;
      if (context) context.allowPrivilegeEscalation = true;
    },
  },
  {
    name: 'every pod passes the house rules (no token, read-only root, limits, explicit ids)',
    holds: (objects) => podsOf(objects).every((pod) => checkWorkspaceHardening(pod).length === 0),
    weaken: (objects) => {
      firstPod(objects).automountServiceAccountToken = true;
    },
  },
  {
    name: 'the tool mounts the data volume read-only',
    holds: (objects) =>
      ofKind(objects, 'Deployment').every(({ spec }) =>
        spec.template.spec.containers.every((container) =>
          (container.volumeMounts ?? [])
            .filter((mount) => mount.name === 'data')
            .every((mount) => mount.readOnly),
        ),
      ),
    weaken: (objects) => {
      const mount = firstPod(objects).containers[0]?.volumeMounts?.find(
        (candidate) => candidate.name === 'data',
      );
      if (mount) delete mount.readOnly;
    },
  },
  {
    name: 'the quota bounds cpu and memory and forbids node ports and load balancers',
    holds: (objects) =>
      ofKind(objects, 'ResourceQuota').some(
        ({ spec: { hard } }) =>
          Boolean(hard['limits.cpu'] && hard['limits.memory']) &&
          hard['services.nodeports'] === '0' &&
          hard['services.loadbalancers'] === '0',
      ),
    weaken: (objects) => {
      const quota = ofKind(objects, 'ResourceQuota')[0];
      if (quota) delete quota.spec.hard['services.nodeports'];
    },
  },
  {
    name: 'the tool runs an allow-listed image',
    holds: (objects) => {
      const allowed = Object.values(settings.toolImages).map((tool) => tool?.image);
      return ofKind(objects, 'Deployment').every(({ spec }) =>
        spec.template.spec.containers.every((container) => allowed.includes(container.image)),
      );
    },
    weaken: (objects) => {
      const container = firstPod(objects).containers[0];
      if (container) container.image = 'docker.io/library/ubuntu:latest';
    },
  },
  {
    name: "the tool pod's init container runs only the service image (the tre sdc kit)",
    holds: (objects) =>
      ofKind(objects, 'Deployment').every(({ spec }) =>
        (spec.template.spec.initContainers ?? []).every(
          (container) => container.image === settings.loaderImage,
        ),
      ),
    weaken: (objects) => {
      const init = firstPod(objects).initContainers?.[0];
      if (init) init.image = 'docker.io/library/ubuntu:latest';
    },
  },
  {
    name: 'the tre sdc kit is read-only in the tool: what the researcher runs is what the image shipped',
    holds: (objects) =>
      ofKind(objects, 'Deployment').every(({ spec }) =>
        spec.template.spec.containers.every((container) =>
          (container.volumeMounts ?? [])
            .filter((mount) => mount.name === 'tre-kit')
            .every((mount) => mount.readOnly === true),
        ),
      ),
    weaken: (objects) => {
      const mount = firstPod(objects).containers[0]?.volumeMounts?.find((m) => m.name === 'tre-kit');
      if (mount) delete mount.readOnly;
    },
  },
  {
    name: 'the tool is reachable only through a ClusterIP Service',
    holds: (objects) => ofKind(objects, 'Service').every(({ spec }) => spec.type === 'ClusterIP'),
    weaken: (objects) => {
      const service = ofKind(objects, 'Service')[0];
      if (service) (service.spec as { type: string }).type = 'NodePort';
    },
  },
];

describe('safety properties of the steady state', () => {
  const cases = TOOLS.flatMap((tool) => WORKSPACE_SIZES.map((size) => ({ tool, size })));

  it.each(PROPERTIES.map((property) => [property.name, property] as const))('%s', (_, property) => {
    for (const { tool, size } of cases) {
      expect({
        tool,
        size,
        holds: property.holds(desiredWorkspaceObjects(exampleSpec({ tool, size }), settings)),
      }).toEqual({ tool, size, holds: true });
    }
  });

  it.each(PROPERTIES.map((property) => [property.name, property] as const))(
    'notices when this is removed: %s',
    (_, property) => {
      const objects = structuredClone(desiredWorkspaceObjects(exampleSpec(), settings));
      property.weaken(objects);
      expect(property.holds(objects)).toBe(false);
    },
  );
});
