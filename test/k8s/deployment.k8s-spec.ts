import { find, render, type RenderedObject } from '../k8s-manifests/render';
import { KEDA_CRDS, KEDA_SCHEMAS } from '../k8s-manifests/keda-crds';
import { structuralProblems } from '../k8s-manifests/structural-schema';
import { kubeRequest, startLocalKube, stopLocalKube } from './local-kube';

/**
 * k8s/base and the worker queue-scaling overlay, rendered by kustomize and applied (server-side apply) to a real
 * API server, which validates each object against its own schema and stores it.
 *
 * The base targets current clusters: `policy/v1` budgets and the `autoscaling/v2` autoscaler (1.25 removed
 * `policy/v1beta1`, 1.26 `autoscaling/v2beta2`). local-kube is 1.20, which serves neither, so this tier sends them
 * as the versions 1.20 serves: `policy/v1beta1` and `autoscaling/v2beta2` have the same fields for what the base
 * uses (a budget's selector and maxUnavailable; an autoscaler's target, bounds, resource metric and behavior), so
 * only apiVersion changes. The schema checks of the exact v1/v2 objects are test/k8s-manifests' (kubernetes-models).
 */
jest.setTimeout(240_000);

const SERVED_BY_1_20: Record<string, string> = {
  'policy/v1': 'policy/v1beta1',
  'autoscaling/v2': 'autoscaling/v2beta2',
};
const toServed = (object: RenderedObject): RenderedObject =>
  SERVED_BY_1_20[object.apiVersion] ? { ...object, apiVersion: SERVED_BY_1_20[object.apiVersion] } : object;

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

function pathOf(object: RenderedObject): string {
  const root = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const kind = object.kind.toLowerCase();
  const plural = kind.endsWith('y')
    ? `${kind.slice(0, -1)}ies`
    : kind.endsWith('s')
      ? `${kind}es`
      : `${kind}s`;
  const scope = CLUSTER_SCOPED.has(object.kind)
    ? ''
    : `/namespaces/${object.metadata.namespace ?? 'default'}`;
  return `${root}${scope}/${plural}/${object.metadata.name}`;
}

describe('k8s manifests against a real API server', () => {
  let kubeconfig: string;
  const apply = (object: RenderedObject | Record<string, unknown>) =>
    kubeRequest(
      kubeconfig,
      'PATCH',
      `${pathOf(object as RenderedObject)}?fieldManager=tre-k8s-tier&force=true`,
      object,
      'application/apply-patch+yaml',
    );
  // 1.20's server-side apply cannot type a NetworkPolicy's `from` (it fails on `_from`, fixed in later
  // releases): those are created, or replaced, the older way; the server validates them just the same.
  const replace = async (object: RenderedObject) => {
    const created = await kubeRequest(kubeconfig, 'POST', pathOf(object).replace(/\/[^/]+$/, ''), object);
    if (created.status !== 409) return created;
    const current = (await kubeRequest(kubeconfig, 'GET', pathOf(object))).body as RenderedObject;
    const metadata = {
      ...object.metadata,
      resourceVersion: current.metadata.resourceVersion,
    };
    return kubeRequest(kubeconfig, 'PUT', pathOf(object), { ...object, metadata });
  };
  const applyAll = async (objects: RenderedObject[]) => {
    for (const object of objects.map(toServed)) {
      const applied = object.kind === 'NetworkPolicy' ? await replace(object) : await apply(object);
      if (applied.status >= 300)
        throw new Error(`${object.kind} ${object.metadata.name}: ${JSON.stringify(applied.body)}`);
    }
  };
  const stored = async (object: RenderedObject): Promise<RenderedObject> => {
    const got = await kubeRequest(kubeconfig, 'GET', pathOf(toServed(object)));
    expect(got.status).toBe(200);
    return got.body as RenderedObject;
  };

  beforeAll(async () => {
    kubeconfig = await startLocalKube();
    for (const crd of KEDA_CRDS) {
      const applied = await apply(crd);
      if (applied.status >= 300) throw new Error(`CRD: ${JSON.stringify(applied.body)}`);
    }
    // The CRDs' types are served only once established.
    for (let tries = 0; ; tries++) {
      const listed = await kubeRequest(kubeconfig, 'GET', '/apis/keda.sh/v1alpha1/scaledobjects');
      if (listed.status === 200) break;
      if (tries > 50) throw new Error('KEDA CRDs never served');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    await stopLocalKube();
  });

  it('applies the whole base, and stores the budgets and the autoscaler as sent', async () => {
    const base = render('base');
    await applyAll(base);
    for (const name of ['tre-api', 'tre-worker', 'tre-gateway']) {
      const budget = find(base, 'PodDisruptionBudget', name);
      expect((await stored(budget)).spec).toMatchObject(budget.spec ?? {});
    }
    const hpa = find(base, 'HorizontalPodAutoscaler', 'tre-api');
    expect((await stored(hpa)).spec).toMatchObject(hpa.spec ?? {});
  });

  // local-kube's 1.20 server accepts and serves the CRDs, but crashes (a segfault in its JSON encoder, built with
  // a newer Go than 1.20 supports) on any request that decodes a custom resource, dry runs included. So the
  // ScaledObject and TriggerAuthentication are checked against the schemas of the CRDs this server accepted
  // (test/k8s-manifests/structural-schema.ts does what the server's pruning and validation would), and everything
  // else of the overlay is applied.
  it('applies the queue-scaling overlay beside the KEDA CRDs, and its custom resources fit them', async () => {
    const overlay = render('overlays/worker-queue-scaling');
    await applyAll(overlay.filter((object) => !object.apiVersion.startsWith('keda.sh/')));
    const worker = find(overlay, 'Deployment', 'tre-worker');
    const workerSpec = (await stored(worker)).spec as { replicas?: number };
    expect(workerSpec).toMatchObject({ selector: (worker.spec as { selector: unknown }).selector });
    for (const crd of KEDA_CRDS) {
      const got = await kubeRequest(
        kubeconfig,
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${(crd.metadata as { name: string }).name}`,
      );
      const conditions = (got.body as { status: { conditions: { type: string; status: string }[] } }).status
        .conditions;
      // Established: the server serves the type; no NonStructuralSchema: it accepted the schema for validation.
      expect(conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
      expect(conditions.some((c) => c.type === 'NonStructuralSchema')).toBe(false);
    }
    for (const kind of ['ScaledObject', 'TriggerAuthentication']) {
      const object = overlay.find((o) => o.kind === kind);
      expect(structuralProblems(object, KEDA_SCHEMAS[kind])).toEqual([]);
    }
  });

  it('is a server that validates: a budget with both bounds is refused', async () => {
    const budget = toServed(find(render('base'), 'PodDisruptionBudget', 'tre-api'));
    const both = await apply({
      ...budget,
      metadata: { ...budget.metadata, name: 'tre-bad-budget' },
      spec: { ...budget.spec, minAvailable: 1 },
    });
    expect(both.status).toBe(422);
  });
});
