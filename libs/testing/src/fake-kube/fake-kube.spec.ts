import { startFakeKube, type FakeKube } from './fake-kube';
import { matchesSelector } from './store';

const TOKEN = 'fake-kube-token';

describe('fake Kubernetes API server', () => {
  let kube: FakeKube;
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${kube.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Read loosely, as supertest hands bodies to the other specs.
    return { status: response.status, body: JSON.parse(await response.text()) };
  };
  const namespace = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels },
  });

  beforeEach(async () => {
    kube = await startFakeKube();
  });
  afterEach(() => kube.close());

  it('serves discovery for every group it stores, and refuses requests without the token', async () => {
    expect((await call('GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual([
      'networking.k8s.io',
      'apps',
      'batch',
    ]);
    const core = await call('GET', '/api/v1');
    expect(core.body.resources).toContainEqual(
      expect.objectContaining({ kind: 'Namespace', name: 'namespaces', namespaced: false }),
    );
    const anonymous = await fetch(`${kube.url}/api/v1/namespaces`);
    expect(anonymous.status).toBe(401);
  });

  it('creates with server fields, refuses a duplicate with 409 AlreadyExists, and 404s the unknown', async () => {
    const created = await call('POST', '/api/v1/namespaces', namespace('a'));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual(
      expect.objectContaining({ uid: expect.any(String), resourceVersion: expect.any(String) }),
    );
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const again = await call('POST', '/api/v1/namespaces', namespace('a'));
    expect(again).toMatchObject({ status: 409, body: { kind: 'Status', reason: 'AlreadyExists' } });
    expect((await call('GET', '/api/v1/namespaces/b')).status).toBe(404);
    expect(kube.object('Namespace', undefined, 'a')).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'a' },
    });
    expect(kube.object('Namespace', undefined, 'b')).toBeUndefined();
    const orphan = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', labels: {} } };
    expect((await call('POST', '/api/v1/namespaces/b/serviceaccounts', orphan)).status).toBe(404);
  });

  it('lists by label selector, without apiVersion and kind on the items', async () => {
    await call('POST', '/api/v1/namespaces', namespace('ours', { 'app.kubernetes.io/managed-by': 'tre' }));
    await call('POST', '/api/v1/namespaces', namespace('theirs'));
    const list = await call('GET', '/api/v1/namespaces?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dtre');
    expect(list.body.kind).toBe('NamespaceList');
    expect(list.body.items.map((item: { metadata: { name: string } }) => item.metadata.name)).toEqual([
      'ours',
    ]);
    expect(list.body.items[0].kind).toBeUndefined();
    expect(matchesSelector({ a: '1' }, 'a,!b,a!=2,a==1')).toBe(true);
    expect(matchesSelector({ a: '1', b: '' }, '!b')).toBe(false);
  });

  it('holds a deleted object with finalizers until they are cleared, and empties a deleted namespace', async () => {
    await call('POST', '/api/v1/namespaces', namespace('ws'));
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: {},
    };
    await call('POST', '/api/v1/namespaces/ws/persistentvolumeclaims', claim);
    const held = await call('DELETE', '/api/v1/namespaces/ws/persistentvolumeclaims/data');
    expect(held.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(kube.objects('PersistentVolumeClaim')).toHaveLength(1);
    const patch = { metadata: { finalizers: null } };
    await call(
      'PATCH',
      '/api/v1/namespaces/ws/persistentvolumeclaims/data',
      patch,
      'application/merge-patch+json',
    );
    expect(kube.objects('PersistentVolumeClaim')).toHaveLength(0);

    await call('POST', '/api/v1/namespaces/ws/persistentvolumeclaims', {
      ...claim,
      metadata: { name: 'out' },
    });
    await call('DELETE', '/api/v1/namespaces/ws');
    expect(kube.objects()).toEqual([]);
  });

  it('injects the same faults for the same seed, and only on matching paths', async () => {
    const outcomes = async (seed: number) => {
      kube.setFaults({ seed, rules: [{ match: { path: '/namespaces/' }, status: 503, probability: 0.5 }] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await call('GET', `/api/v1/namespaces/n${i}`)).status);
      return statuses;
    };
    const first = await outcomes(7);
    expect(first).toEqual(await outcomes(7));
    expect(first).not.toEqual(await outcomes(8));
    expect(new Set(first)).toEqual(new Set([404, 503]));
    expect((await call('GET', '/api/v1')).status).toBe(200);
    expect(kube.calls().filter((c) => c.faultRule === 0)).toHaveLength(
      kube.calls().filter((c) => c.outcome === 503).length,
    );
  });

  it('drops a connection before or after doing the work, and records it', async () => {
    kube.setFaults({ rules: [{ match: { method: 'POST' }, drop: 'after', times: 1 }] });
    await expect(call('POST', '/api/v1/namespaces', namespace('dropped'))).rejects.toThrow();
    expect(kube.objects('Namespace')).toHaveLength(1);
    expect(kube.calls().at(-1)).toMatchObject({ method: 'POST', outcome: 'dropped' });
    kube.setFaults({ rules: [{ match: { method: 'POST' }, drop: 'before' }] });
    await expect(call('POST', '/api/v1/namespaces', namespace('never'))).rejects.toThrow();
    expect(kube.objects('Namespace')).toHaveLength(1);
  });

  it('adds latency to matching calls', async () => {
    kube.setFaults({ rules: [{ latencyMs: 150 }] });
    const started = Date.now();
    await call('GET', '/api/v1/namespaces');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('in manual job mode, hands each created Job to the test and reports what the test says of it', async () => {
    await kube.close();
    const created: Record<string, unknown>[] = [];
    kube = await startFakeKube({ jobs: 'manual', onJobCreated: (job) => created.push(job) });
    const job = (name: string) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'ns' },
      spec: { template: { spec: { containers: [] } } },
    });
    const status = async (name: string) =>
      (await call('GET', `/apis/batch/v1/namespaces/ns/jobs/${name}`)).body.status as unknown;
    await call('POST', '/api/v1/namespaces', namespace('ns'));
    expect((await call('POST', '/apis/batch/v1/namespaces/ns/jobs', job('load'))).status).toBe(201);
    await call('POST', '/apis/batch/v1/namespaces/ns/jobs', job('load'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(created.map((j) => (j.metadata as { name: string }).name)).toEqual(['load']);
    expect(await status('load')).toBeUndefined();
    kube.completeJob('ns', 'load', 'fail');
    expect(await status('load')).toMatchObject({ conditions: [{ type: 'Failed', status: 'True' }] });
    // Made again under the same name, it is a new Job: pending until the test ends it.
    await call('DELETE', '/apis/batch/v1/namespaces/ns/jobs/load');
    await call('POST', '/apis/batch/v1/namespaces/ns/jobs', job('load'));
    expect(await status('load')).toBeUndefined();
    kube.completeJob('ns', 'load', 'succeed');
    expect(await status('load')).toMatchObject({ succeeded: 1 });
    expect(() => kube.completeJob('ns', 'other', 'succeed')).toThrow(/no Job ns\/other/);
  });

  it("shows an ended Job's pod, labelled as the Job controller labels it, with its termination message", async () => {
    kube.setJobOutcome('manual');
    const pods = async (selector: string) =>
      (await call('GET', `/api/v1/namespaces/ns/pods?labelSelector=${encodeURIComponent(selector)}`)).body
        .items as { metadata: { labels: Record<string, string> }; status: unknown }[];
    await call('POST', '/api/v1/namespaces', namespace('ns'));
    await call('POST', '/apis/batch/v1/namespaces/ns/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'load', namespace: 'ns' },
      spec: {
        template: {
          metadata: { labels: { 'app.kubernetes.io/component': 'loader' } },
          spec: { containers: [{ name: 'loader', image: 'tre' }] },
        },
      },
    });
    expect(await pods('job-name=load')).toEqual([]);
    kube.completeJob('ns', 'load', 'fail', { message: 'a.csv: sha256 mismatch' });
    const [pod, ...others] = await pods('app.kubernetes.io/component=loader,job-name=load');
    expect(others).toEqual([]);
    expect(pod.status).toMatchObject({
      phase: 'Failed',
      containerStatuses: [
        { name: 'loader', state: { terminated: { exitCode: 1, message: 'a.csv: sha256 mismatch' } } },
      ],
    });
    expect(await pods('job-name=other')).toEqual([]);
    // The garbage collector's part: the Job's pods go with it.
    await call('DELETE', '/apis/batch/v1/namespaces/ns/jobs/load');
    expect(await pods('job-name=load')).toEqual([]);
  });
});
