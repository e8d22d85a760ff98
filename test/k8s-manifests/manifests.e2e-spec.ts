import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { QUEUES } from '@tre/core';
import { KEDA_SCHEMAS } from './keda-crds';
import { K8S_DIR, find, render, type RenderedObject } from './render';
import { structuralProblems } from './structural-schema';

/**
 * The capacity objects of k8s/ (disruption budgets, the API's autoscaler, the worker's queue scaling), checked
 * against the official schemas (kubernetes-models) and against each other: a budget or autoscaler whose selector
 * or target misses its pods is valid YAML that protects nothing. test/k8s/deployment.k8s-spec.ts applies the same
 * renders to a real API server.
 */
const base = render('base');
const queueScaling = render('overlays/worker-queue-scaling');

const validate = (object: RenderedObject): void => {
  const data = object as never;
  if (object.kind === 'PodDisruptionBudget') new PodDisruptionBudget(data).validate();
  else if (object.kind === 'HorizontalPodAutoscaler') new HorizontalPodAutoscaler(data).validate();
  else if (object.kind === 'Deployment') new Deployment(data).validate();
  else throw new Error(`no model for ${object.kind}`);
};

const templateLabels = (deployment: RenderedObject): Record<string, string> =>
  (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
    .labels;

describe('k8s capacity manifests', () => {
  it.each(['tre-api', 'tre-worker', 'tre-gateway'])(
    'has a valid disruption budget for %s that selects its pods and allows one down',
    (name) => {
      const budget = find(base, 'PodDisruptionBudget', name);
      expect(budget.apiVersion).toBe('policy/v1');
      expect(() => validate(budget)).not.toThrow();
      const spec = budget.spec as {
        maxUnavailable: number;
        selector: { matchLabels: Record<string, string> };
      };
      expect(spec.maxUnavailable).toBe(1);
      expect(spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
      expect(budget.metadata.namespace).toBe('tre-system');
      // The gateway's Deployment lands separately; the api and worker must be selected by their own labels.
      const deployment = base.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
      if (deployment) expect(templateLabels(deployment)).toMatchObject(spec.selector.matchLabels);
    },
  );

  it('scales the API on CPU against a request, and leaves it the replica count', () => {
    const hpa = find(base, 'HorizontalPodAutoscaler', 'tre-api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(() => validate(hpa)).not.toThrow();
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tre-api' },
      minReplicas: 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }],
    });
    const api = find(base, 'Deployment', 'tre-api');
    expect(() => validate(api)).not.toThrow();
    expect(api.spec?.replicas).toBeUndefined();
    const containers = (api.spec as { template: { spec: { containers: { resources: unknown }[] } } }).template
      .spec.containers;
    expect(containers[0].resources).toMatchObject({ requests: { cpu: expect.any(String) } });
  });

  it('scales the worker on the wait list of every BullMQ queue in the overlay, and nowhere else', () => {
    const prefix = /^QUEUE_PREFIX=(.*)$/m.exec(
      readFileSync(join(K8S_DIR, 'base', 'config.env'), 'utf8'),
    )?.[1];
    const scaled = find(queueScaling, 'ScaledObject', 'tre-worker');
    expect(scaled.metadata.namespace).toBe('tre-system');
    const spec = scaled.spec as {
      scaleTargetRef: { name: string };
      minReplicaCount: number;
      triggers: { type: string; metadata: { listName: string; listLength: string } }[];
    };
    expect(spec.scaleTargetRef.name).toBe('tre-worker');
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(
      spec.triggers.every((t) => t.type === 'redis' && /^[1-9][0-9]*$/.test(t.metadata.listLength)),
    ).toBe(true);
    expect(spec.triggers.map((t) => t.metadata.listName).sort()).toEqual(
      QUEUES.map((queue) => `${prefix}:${queue}:wait`).sort(),
    );
    const worker = find(queueScaling, 'Deployment', 'tre-worker');
    expect(() => validate(worker)).not.toThrow();
    expect(worker.spec?.replicas).toBeUndefined();
    expect(find(base, 'Deployment', 'tre-worker').spec?.replicas).toBe(2);
    expect(base.some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  it('runs the gateway with the node options of `npm run start:gateway`, which its benchmarks measure', () => {
    const scripts = (
      JSON.parse(readFileSync(join(K8S_DIR, '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const gateway = find(base, 'Deployment', 'tre-gateway');
    const containers = (gateway.spec as { template: { spec: { containers: { command: string[] }[] } } })
      .template.spec.containers;
    expect(containers[0].command.join(' ')).toBe(scripts['start:gateway']);
  });

  it.each(['ScaledObject', 'TriggerAuthentication'])("writes the %s as KEDA's CRD schema has it", (kind) => {
    const object = queueScaling.find((o) => o.kind === kind);
    expect(object?.apiVersion).toBe('keda.sh/v1alpha1');
    expect(structuralProblems(object, KEDA_SCHEMAS[kind])).toEqual([]);
  });

  it('would catch a misspelt KEDA field, a number where KEDA wants a string, and a missing target', () => {
    const scaled = find(queueScaling, 'ScaledObject', 'tre-worker');
    const spec = scaled.spec as { triggers: { metadata: Record<string, unknown> }[] };
    const broken = {
      ...scaled,
      spec: {
        minReplicas: 1,
        triggers: [{ ...spec.triggers[0], metadata: { ...spec.triggers[0].metadata, listLength: 20 } }],
      },
    };
    expect(structuralProblems(broken, KEDA_SCHEMAS.ScaledObject).sort()).toEqual([
      '.spec.minReplicas: not in the schema (the server would prune it)',
      '.spec.scaleTargetRef: required',
      '.spec.triggers[0].metadata.listLength: integer, not string',
    ]);
  });
});
