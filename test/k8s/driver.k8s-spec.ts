import { randomUUID } from 'node:crypto';
import {
  ClusterError,
  desiredWorkspaceObjects,
  driftBetween,
  KubernetesDriver,
  DEFAULT_LOADER_SETTINGS,
  type KubeObject,
  type WorkspaceSettings,
  type WorkspaceObject,
} from '@tre/workspaces';
import { kubeRequest, startLocalKube, stopLocalKube } from './local-kube';

/**
 * The drivers against a real API server (kube-apiserver 1.20 from ../shared/tools/local-kube): what our
 * manifests ask for is accepted and stored as asked, server-side apply is idempotent there too, admission
 * enforces the quota, and a workspace namespace really goes away.
 */
jest.setTimeout(180_000);

const spec = {
  workspaceId: randomUUID(),
  projectId: randomUUID(),
  size: 'small',
  tool: 'jupyterlab',
} as const;
const settings: WorkspaceSettings = {
  namespacePrefix: 'tre-k8s-',
  sizes: {
    small: { cpu: '1', memory: '2Gi', storage: { data: '10Gi', outputs: '5Gi' }, pods: 3 },
    medium: { cpu: '2', memory: '8Gi', storage: { data: '50Gi', outputs: '20Gi' }, pods: 3 },
    large: { cpu: '8', memory: '32Gi', storage: { data: '200Gi', outputs: '50Gi' }, pods: 3 },
  },
  toolImages: {
    jupyterlab: {
      image: 'quay.io/jupyter/minimal-notebook:2024-07-02',
      port: 8888,
      runAsUser: 1000,
      runAsGroup: 100,
      writablePaths: ['/home/jovyan'],
    },
  },
  gateway: {
    namespaceLabels: { 'tre.gateway': 'true' },
    podLabels: { 'app.kubernetes.io/name': 'tre-gateway' },
  },
  apiEgress: { url: 'http://10.96.0.50:3000', port: 3000, to: { cidr: '10.96.0.50/32' } },
  loaderImage: 'ghcr.io/example/tre-orchestrator:0.1.0',
  loader: { ...DEFAULT_LOADER_SETTINGS },
  fsGroup: 2000,
};
const objects = desiredWorkspaceObjects(spec, settings);
const namespace = objects[0].metadata.name;
const ofKind = <K extends WorkspaceObject['kind']>(kind: K) =>
  objects.filter((object): object is Extract<WorkspaceObject, { kind: K }> => object.kind === kind);

async function failureOf(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected a ClusterError');
}

function pod(name: string, cpuPerContainer: string, containers: number): KubeObject & { spec: unknown } {
  const container = (index: number) => ({
    name: `c${index}`,
    image: 'registry.invalid/none:1',
    resources: {
      requests: { cpu: cpuPerContainer, memory: '256Mi' },
      limits: { cpu: cpuPerContainer, memory: '256Mi' },
    },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'tre.test-pod': name } },
    spec: {
      serviceAccountName: ofKind('ServiceAccount')[0].metadata.name,
      automountServiceAccountToken: false,
      containers: Array.from({ length: containers }, (_, index) => container(index)),
    },
  };
}

describe('KubernetesDriver against a real API server', () => {
  let kubeconfigPath: string;
  let driver: KubernetesDriver;

  beforeAll(async () => {
    kubeconfigPath = await startLocalKube();
    driver = KubernetesDriver.create({ kubeconfigPath });
  });
  afterAll(async () => {
    await stopLocalKube();
  });

  it('applies every workspace object and finds each stored as desired, and a settled repeat rewrites only the policy sending empty lists', async () => {
    for (const object of objects) await driver.apply(object);
    for (const object of objects) {
      const live = await driver.get(object.kind, object.metadata.namespace, object.metadata.name);
      expect(live?.metadata.uid).toEqual(expect.any(String));
      expect({ object: `${object.kind}/${object.metadata.name}`, drift: driftBetween(object, live) }).toEqual(
        {
          object: `${object.kind}/${object.metadata.name}`,
          drift: [],
        },
      );
    }
    // Compare with what is stored just before each pass: controllers (quota status, the token controller)
    // write to some objects on their own. On 1.20 the first repeat also rewrites each PVC once (the claims
    // carry the admission-added pvc-protection finalizer), after which they are stable.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const object of objects) await driver.apply(object);
    const rewrittenByAnApply = async (): Promise<string[]> => {
      const stored = [];
      for (const object of objects)
        stored.push(await driver.get(object.kind, object.metadata.namespace, object.metadata.name));
      const changed = [];
      for (const [index, object] of objects.entries()) {
        const live = await driver.apply(object);
        if (live.metadata.resourceVersion !== stored[index]?.metadata.resourceVersion)
          changed.push(object.metadata.name);
      }
      return changed;
    };
    // A controller's own write can fall between a pass's read and its apply (on a busy machine the token and
    // quota controllers were seen writing more than a second on): it lands in one pass, while an object the
    // apply itself rewrites changes in every pass. So only what changed in two passes in a row counts.
    const first = await rewrittenByAnApply();
    const second = await rewrittenByAnApply();
    const changed = first.filter((name) => second.includes(name));
    // A 1.20 server rewrites an object on every apply that sends an empty list (the default-deny policy's
    // `ingress: []`, `egress: []`, which it stores as absent). Nothing else may change.
    expect(changed).toEqual([ofKind('NetworkPolicy')[0].metadata.name]);
    expect((await driver.listManagedNamespaces()).map((item) => item.metadata.name)).toContain(namespace);
  });

  it('sees the quota refuse an oversized pod that the limit range alone would allow', async () => {
    // Admission reads quotas from a cache: until the quota controller has reported it, a new quota may not be
    // enforced yet. Wait for its status, as the provisioner must before it creates a workload.
    const [quota] = ofKind('ResourceQuota');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const live = await driver.get('ResourceQuota', namespace, quota.metadata.name);
      if (live && typeof live.status === 'object' && live.status !== null && 'hard' in live.status) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const refused = await failureOf(driver.apply(pod('too-big', '1', 2)));
    expect(refused).toMatchObject({ kind: 'permanent', status: 403, reason: 'Forbidden' });
    expect(refused.message).toMatch(/exceeded quota/);
    // a pod within the quota is admitted, so the refusal above was the quota's
    await expect(driver.apply(pod('small', '100m', 1))).resolves.toMatchObject({ kind: 'Pod' });
    // Pods are listed by label selector, and only those it matches
    const listed = await driver.listPods(namespace, 'tre.test-pod=small');
    expect(listed.map((p) => [p.kind, p.metadata.name])).toEqual([['Pod', 'small']]);
    expect(await driver.listPods(namespace, 'tre.test-pod=too-big')).toEqual([]);
    expect(await driver.delete('Pod', namespace, 'small')).toBe(true);
  });

  it('restores a NetworkPolicy deleted by hand', async () => {
    const [denyAll] = ofKind('NetworkPolicy');
    expect(await driver.delete('NetworkPolicy', namespace, denyAll.metadata.name)).toBe(true);
    expect(await driver.get('NetworkPolicy', namespace, denyAll.metadata.name)).toBeUndefined();
    await driver.apply(denyAll);
    const restored = await driver.get('NetworkPolicy', namespace, denyAll.metadata.name);
    expect(driftBetween(denyAll, restored)).toEqual([]);
  });

  it('refuses an invalid object with the server message, as a permanent error', async () => {
    const [denyAll] = ofKind('NetworkPolicy');
    const broken = {
      ...denyAll,
      spec: { ...denyAll.spec, policyTypes: ['Sideways'] },
    } as unknown as KubeObject;
    const error = await failureOf(driver.apply(broken));
    expect(error).toMatchObject({ kind: 'permanent', status: 422, reason: 'Invalid' });
    expect(error.message).toMatch(/policyTypes/);
  });

  it('tears the workspace down: the namespace and everything in it go away', async () => {
    // No pvc-protection controller runs on local-kube, so the claims' finalizers would hold the namespace.
    for (const claim of ofKind('PersistentVolumeClaim')) {
      const path = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claim.metadata.name}`;
      const cleared = await kubeRequest(
        kubeconfigPath,
        'PATCH',
        path,
        { metadata: { finalizers: null } },
        'application/merge-patch+json',
      );
      expect(cleared.status).toBe(200);
    }
    expect(await driver.delete('Namespace', undefined, namespace)).toBe(true);
    const deadline = Date.now() + 90_000;
    while ((await driver.get('Namespace', undefined, namespace)) !== undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await driver.get('Namespace', undefined, namespace)).toBeUndefined();
    expect(await driver.delete('Namespace', undefined, namespace)).toBe(false);
    expect((await driver.listManagedNamespaces()).map((item) => item.metadata.name)).not.toContain(namespace);
  });
});
