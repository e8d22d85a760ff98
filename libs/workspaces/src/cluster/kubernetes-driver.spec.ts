import { startFakeKube, type FakeKube } from '@tre/testing';
import { desiredWorkspaceObjects } from '../manifests/desired-objects';
import { buildLoaderTokenSecret } from '../manifests/loader';
import type { KubeObject, NetworkPolicy } from '../manifests/kube-types';
import { exampleSettings, exampleSpec, ofKind } from '../manifests/workspace-fixtures.spec-helper';
import { FIELD_MANAGER } from './cluster-driver';
import { ClusterError } from './cluster-error';
import { KubernetesDriver } from './kubernetes-driver';

const objects = desiredWorkspaceObjects(exampleSpec(), exampleSettings());
const [namespace] = ofKind(objects, 'Namespace');
const [denyAll] = ofKind(objects, 'NetworkPolicy');
const ns = namespace.metadata.name;

async function failureOf(promise: Promise<unknown>): Promise<ClusterError> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ClusterError) return error;
    throw error;
  }
  throw new Error('expected a ClusterError');
}

describe('KubernetesDriver against the fake API server', () => {
  let kube: FakeKube;
  let driver: KubernetesDriver;

  beforeEach(async () => {
    kube = await startFakeKube();
    driver = KubernetesDriver.create({ kubeconfigPath: kube.kubeconfigPath, requestTimeoutMs: 2000 });
  });
  afterEach(() => kube.close());

  it('applies every workspace object by server-side apply under our field manager', async () => {
    for (const object of objects) await driver.apply(object);
    expect(kube.objects().map((o) => `${String(o.kind)}`)).toEqual(objects.map((o) => o.kind));
    const writes = kube.calls().filter((call) => call.method !== 'GET');
    expect(writes).toHaveLength(objects.length);
    for (const call of writes) {
      expect(call).toMatchObject({ method: 'PATCH', contentType: 'application/apply-patch+yaml' });
      expect(call.query).toEqual({ fieldManager: FIELD_MANAGER, force: 'true' });
    }
  });

  it('sends fields the typed client models would drop or rename (LimitRange default)', async () => {
    await driver.apply(namespace);
    const [limits] = ofKind(objects, 'LimitRange');
    await driver.apply(limits);
    const stored = await driver.get('LimitRange', ns, limits.metadata.name);
    expect(stored?.spec).toEqual(limits.spec);
    expect(JSON.stringify(stored)).not.toContain('_default');
  });

  it('changes nothing when the same object is applied again', async () => {
    const first = await Promise.all([driver.apply(namespace)]).then(([live]) => live);
    const policy = await driver.apply(denyAll);
    const again = await driver.apply(denyAll);
    expect(again.metadata.resourceVersion).toBe(policy.metadata.resourceVersion);
    expect(again.metadata.uid).toBe(policy.metadata.uid);
    expect((await driver.apply(namespace)).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('restores a field someone edited by hand', async () => {
    await driver.apply(namespace);
    const applied = await driver.apply(denyAll);
    const edited = await fetch(
      `${kube.url}/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/${denyAll.metadata.name}`,
      {
        method: 'PATCH',
        headers: { authorization: 'Bearer fake-kube-token', 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { policyTypes: ['Ingress'] } }),
      },
    );
    expect(edited.status).toBe(200);
    expect((await driver.get('NetworkPolicy', ns, denyAll.metadata.name))?.spec).toMatchObject({
      policyTypes: ['Ingress'],
    });

    const repaired = await driver.apply(denyAll);
    expect((repaired.spec as NetworkPolicy['spec']).policyTypes).toEqual(['Ingress', 'Egress']);
    expect(Number(repaired.metadata.resourceVersion)).toBeGreaterThan(
      Number(applied.metadata.resourceVersion),
    );
  });

  it('reads a missing object as undefined and deletes twice without complaint', async () => {
    await driver.apply(namespace);
    expect(await driver.get('NetworkPolicy', ns, denyAll.metadata.name)).toBeUndefined();
    await driver.apply(denyAll);
    expect(await driver.delete('NetworkPolicy', ns, denyAll.metadata.name)).toBe(true);
    expect(await driver.delete('NetworkPolicy', ns, denyAll.metadata.name)).toBe(false);
    expect(kube.objects('NetworkPolicy')).toEqual([]);
  });

  it('creates a Secret by POST only, never patching it, and reports one that exists', async () => {
    await driver.apply(namespace);
    const secret = buildLoaderTokenSecret(exampleSpec(), exampleSettings(), {
      name: 'load-token',
      token: 't0k3n',
    });
    expect(await driver.create(secret)).toBe(true);
    expect(await driver.create(secret)).toBe(false);
    const writes = kube.calls().filter((c) => c.path.includes('/secrets'));
    expect(writes.map((c) => `${c.method} ${c.outcome}`)).toEqual(['POST 201', 'POST 409']);
    expect(writes[0].path).toBe(`/api/v1/namespaces/${ns}/secrets`);
    expect(kube.objects('Secret')).toHaveLength(1);
  });

  it('lists only the namespaces we manage', async () => {
    await driver.apply(namespace);
    const foreign: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-public', labels: {} },
    };
    await driver.apply(foreign);
    const managed = await driver.listManagedNamespaces();
    expect(managed.map((item) => [item.kind, item.metadata.name])).toEqual([['Namespace', ns]]);
  });

  it('classifies 500, 503, 429 and 409 as transient, with the status and reason', async () => {
    await driver.apply(namespace);
    for (const [status, reason] of [
      [500, 'InternalError'],
      [503, 'ServiceUnavailable'],
      [429, 'TooManyRequests'],
      [409, 'Conflict'],
    ] as const) {
      kube.setFaults({ rules: [{ match: { path: '/networkpolicies/' }, status, times: 1 }] });
      const error = await failureOf(driver.apply(denyAll));
      expect(error).toMatchObject({ kind: 'transient', status, reason });
      expect(error.message).toContain(`apply NetworkPolicy ${ns}/${denyAll.metadata.name}`);
      // the fault fired once; the retry succeeds
      await expect(driver.apply(denyAll)).resolves.toMatchObject({ kind: 'NetworkPolicy' });
    }
  });

  it("classifies 422 as permanent and keeps the server's message", async () => {
    await driver.apply(namespace);
    kube.setFaults({ rules: [{ match: { method: 'PATCH' }, status: 422 }] });
    const error = await failureOf(driver.apply(denyAll));
    expect(error).toMatchObject({ kind: 'permanent', status: 422, reason: 'Invalid' });
    expect(error.message).toContain('spec: Invalid value');
  });

  it('classifies a write into a missing namespace as permanent (404), and a bad body as permanent (400)', async () => {
    expect(await failureOf(driver.apply(denyAll))).toMatchObject({
      kind: 'permanent',
      status: 404,
      reason: 'NotFound',
    });
    await driver.apply(namespace);
    const misnamed = { ...denyAll, metadata: { ...denyAll.metadata, name: 'Not_A_Name' } };
    expect(await failureOf(driver.apply(misnamed))).toMatchObject({ kind: 'permanent' });
  });

  it('classifies a dropped connection as transient, and a retry after a dropped answer finds the work done', async () => {
    await driver.apply(namespace);
    kube.setFaults({ rules: [{ match: { method: 'PATCH' }, drop: 'before', times: 1 }] });
    expect(await failureOf(driver.apply(denyAll))).toMatchObject({ kind: 'transient' });
    expect(kube.objects('NetworkPolicy')).toEqual([]);

    kube.setFaults({ rules: [{ match: { method: 'PATCH' }, drop: 'after', times: 1 }] });
    expect(await failureOf(driver.apply(denyAll))).toMatchObject({ kind: 'transient' });
    const stored = kube.objects('NetworkPolicy');
    expect(stored).toHaveLength(1);
    const retried = await driver.apply(denyAll);
    expect(retried.metadata.resourceVersion).toBe(
      (stored[0].metadata as { resourceVersion: string }).resourceVersion,
    );
  });

  it('classifies a request past its deadline as transient', async () => {
    const slow = KubernetesDriver.create({ kubeconfigPath: kube.kubeconfigPath, requestTimeoutMs: 100 });
    kube.setFaults({ rules: [{ match: { method: 'GET', discovery: true }, latencyMs: 400 }] });
    expect(await failureOf(slow.get('Namespace', undefined, ns))).toMatchObject({
      kind: 'transient',
      reason: 'Timeout',
    });
  });

  it('classifies a refused connection as transient and a missing kubeconfig as permanent', async () => {
    await kube.close();
    expect(await failureOf(driver.get('Namespace', undefined, ns))).toMatchObject({ kind: 'transient' });
    kube = await startFakeKube();
    expect(() => KubernetesDriver.create({ kubeconfigPath: '/nonexistent/kubeconfig' })).toThrow(
      expect.objectContaining({ kind: 'permanent', reason: 'KubeConfig' }),
    );
  });

  it('says where it sends objects', () => {
    expect(driver.describe()).toBe(`kubernetes API at ${kube.url} (kubeconfig ${kube.kubeconfigPath})`);
  });
});
