import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { desiredWorkspaceObjects } from './desired-objects';
import type { KubeObject, WorkspaceObject } from './kube-types';
import { buildCollectorTokenSecret, desiredCollectorObjects } from './collector';
import { buildLoaderTokenSecret, desiredLoaderObjects } from './loader';
import {
  EXTRACT_ID,
  TOKEN_SECRET,
  exampleSettings,
  exampleSpec,
  ofKind,
} from './workspace-fixtures.spec-helper';
import { WORKSPACE_SIZES, WORKSPACE_TOOLS, type WorkspaceSettings } from './workspace-settings';

/**
 * Every object the builders produce, checked against the official Kubernetes OpenAPI schemas (as compiled into
 * kubernetes-models' validators): types, enums, required fields, apiVersion and kind. These schemas do not
 * forbid unknown fields (Kubernetes' OpenAPI declares none closed), so a misspelt field name is the integration
 * tier's to catch (the API server with strict field validation), not this spec's.
 */

interface Validatable {
  validate(): void;
}
type ModelFactory = (object: KubeObject) => Validatable;

// Keyed by kind alone, so a wrong apiVersion reaches the schema (which pins it). Constructors set their own
// apiVersion and kind; the object's are put back so the schema sees what would be sent.
function model<T extends Validatable>(kind: string, create: (data: never) => T): [string, ModelFactory] {
  return [
    kind,
    (object) => {
      const built = create(object as never);
      Object.assign(built, { apiVersion: object.apiVersion, kind: object.kind });
      return built;
    },
  ];
}

const MODELS = new Map<string, ModelFactory>([
  model('Namespace', (data) => new Namespace(data)),
  model('NetworkPolicy', (data) => new NetworkPolicy(data)),
  model('ResourceQuota', (data) => new ResourceQuota(data)),
  model('LimitRange', (data) => new LimitRange(data)),
  model('ServiceAccount', (data) => new ServiceAccount(data)),
  model('PersistentVolumeClaim', (data) => new PersistentVolumeClaim(data)),
  model('Deployment', (data) => new Deployment(data)),
  model('Service', (data) => new Service(data)),
  model('Job', (data) => new Job(data)),
  model('Secret', (data) => new Secret(data)),
]);

/** The schema's complaint about an object, or undefined when it conforms. An unknown kind is a complaint too. */
function schemaError(object: KubeObject): string | undefined {
  const factory = MODELS.get(object.kind);
  if (!factory) return `no schema for ${object.apiVersion}/${object.kind}`;
  try {
    factory(structuredClone(object)).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// Every tool of the allow-list, so none escapes validation because the example deployment lacks it.
const settings: WorkspaceSettings = exampleSettings({
  toolImages: {
    ...exampleSettings().toolImages,
    rstudio: {
      image: 'rocker/rstudio:4.4.1',
      port: 8787,
      env: { DISABLE_AUTH: 'false' },
      writablePaths: ['/home/rstudio', '/var/lib/rstudio-server'],
    },
  },
});
const loaderOptions = { extractId: EXTRACT_ID, tokenSecretName: TOKEN_SECRET };
const COLLECT_GRANT = '5b0c3a1e-7d2f-4c6a-9e8b-1f2a3b4c5d6e';
const collectorOptions = {
  grantId: COLLECT_GRANT,
  requestId: '9d8c7b6a-5f4e-4d3c-8b2a-1a0f9e8d7c6b',
  activeDeadlineSeconds: 300,
};

function everyObject(size: (typeof WORKSPACE_SIZES)[number], tool: (typeof WORKSPACE_TOOLS)[number]) {
  const spec = exampleSpec({ size, tool });
  return [
    ...desiredWorkspaceObjects(spec, settings),
    ...desiredLoaderObjects(spec, settings, loaderOptions),
    buildLoaderTokenSecret(spec, settings, { name: TOKEN_SECRET, token: 'example-token' }),
    ...desiredCollectorObjects(spec, settings, collectorOptions),
    buildCollectorTokenSecret(spec, settings, { grantId: COLLECT_GRANT, token: 'example-token' }),
    // list mode, in a namespace the workspace's row names
    ...desiredCollectorObjects({ ...spec, namespace: 'tre-old-example' }, settings, {
      grantId: COLLECT_GRANT,
      listingId: '3c2b1a0f-9e8d-4c7b-8a6f-5e4d3c2b1a0f',
      activeDeadlineSeconds: 300,
    }),
  ];
}

const CASES = WORKSPACE_SIZES.flatMap((size) => WORKSPACE_TOOLS.map((tool) => [size, tool] as const));

describe('manifests against the Kubernetes OpenAPI schemas', () => {
  it.each(CASES)('every object of a %s %s workspace and its load conforms', (size, tool) => {
    const objects = everyObject(size, tool);
    expect(objects.map((object) => object.kind)).toEqual(
      expect.arrayContaining([
        'Namespace',
        'NetworkPolicy',
        'ResourceQuota',
        'LimitRange',
        'ServiceAccount',
        'PersistentVolumeClaim',
        'Deployment',
        'Service',
        'Job',
        'Secret',
      ]),
    );
    const errors = objects
      .map((object) => [`${object.kind} ${object.metadata.name}`, schemaError(object)] as const)
      .filter(([, error]) => error !== undefined);
    expect(errors).toEqual([]);
  });

  // Each edit breaks one object in a way the schema forbids; the validator must notice every one.
  const BREAKAGES: [string, (objects: WorkspaceObject[]) => KubeObject, RegExp][] = [
    [
      'a Deployment whose replica count is a string',
      (objects) => {
        const deployment = ofKind(objects, 'Deployment')[0];
        Object.assign(deployment.spec, { replicas: 'one' });
        return deployment;
      },
      /\/spec\/replicas must be integer/,
    ],
    [
      'a container without a name',
      (objects) => {
        const deployment = ofKind(objects, 'Deployment')[0];
        delete (deployment.spec.template.spec.containers[0] as { name?: string }).name;
        return deployment;
      },
      /\/containers\/0 must have required property name/,
    ],
    [
      'a Job whose pod template has no containers',
      (objects) => {
        const job = ofKind(objects, 'Job')[0];
        delete (job.spec.template.spec as { containers?: unknown }).containers;
        return job;
      },
      /\/template\/spec must have required property containers/,
    ],
    [
      'a NetworkPolicy port that is an object',
      (objects) => {
        const policy = ofKind(objects, 'NetworkPolicy').find((candidate) => candidate.spec.ingress?.length)!;
        Object.assign(policy.spec.ingress![0].ports[0], { port: { number: 8888 } });
        return policy;
      },
      /\/ingress\/0\/ports\/0\/port must match exactly one schema/,
    ],
    [
      'a Service with a protocol outside the enum',
      (objects) => {
        const service = ofKind(objects, 'Service')[0];
        Object.assign(service.spec.ports[0], { protocol: 'HTTP' });
        return service;
      },
      /\/ports\/0\/protocol must be equal to one of the allowed values/,
    ],
    [
      'a Namespace under the wrong apiVersion',
      (objects) => {
        const namespace = ofKind(objects, 'Namespace')[0];
        Object.assign(namespace, { apiVersion: 'apps/v1' });
        return namespace;
      },
      /\/apiVersion must be equal to one of the allowed values/,
    ],
    [
      'a kind nobody defined',
      (objects) => {
        const quota = ofKind(objects, 'ResourceQuota')[0];
        Object.assign(quota, { kind: 'ResourceQuotum' });
        return quota;
      },
      /no schema for v1\/ResourceQuotum/,
    ],
  ];

  it.each(BREAKAGES)('refuses %s', (_name, breakIt, complaint) => {
    const objects = everyObject('small', 'jupyterlab');
    const broken = breakIt(objects);
    expect(schemaError(broken)).toMatch(complaint);
  });
});
