import { desiredWorkspaceObjects } from './desired-objects';
import type { KubeObject, Labels } from './kube-types';
import { commonLabels, stampCommonLabels } from './labels';
import { buildLoaderJob, buildLoaderTokenSecret, desiredLoaderObjects } from './loader';
import { buildNamespace } from './namespace';
import {
  buildDefaultDenyPolicy,
  buildGatewayIngressPolicy,
  buildLoaderEgressPolicy,
} from './network-policies';
import { buildLimitRange, buildResourceQuota } from './resource-limits';
import { buildServiceAccount } from './service-account';
import { buildToolDeployment, buildToolService } from './tool';
import { buildDataClaim, buildOutputsClaim } from './volumes';
import {
  EXTRACT_ID,
  PROJECT_ID,
  TOKEN_SECRET,
  WORKSPACE_ID,
  exampleSettings,
  exampleSpec,
  ofKind,
} from './workspace-fixtures.spec-helper';
import type { WorkspaceSettings, WorkspaceSpec } from './workspace-settings';

const settings = exampleSettings();
const spec = exampleSpec();
const namespace = `tre-ws-${WORKSPACE_ID}`;
const common = {
  'app.kubernetes.io/managed-by': 'tre',
  'tre.workspace-id': WORKSPACE_ID,
  'tre.project-id': PROJECT_ID,
};
const loaderOptions = { extractId: EXTRACT_ID, tokenSecretName: TOKEN_SECRET };

const builders: [string, (spec: WorkspaceSpec, settings: WorkspaceSettings) => KubeObject][] = [
  ['buildNamespace', buildNamespace],
  ['buildDefaultDenyPolicy', buildDefaultDenyPolicy],
  ['buildGatewayIngressPolicy', buildGatewayIngressPolicy],
  ['buildLoaderEgressPolicy', buildLoaderEgressPolicy],
  ['buildResourceQuota', buildResourceQuota],
  ['buildLimitRange', buildLimitRange],
  ['buildServiceAccount', buildServiceAccount],
  ['buildDataClaim', buildDataClaim],
  ['buildOutputsClaim', buildOutputsClaim],
  ['buildToolDeployment', buildToolDeployment],
  ['buildToolService', buildToolService],
  ['buildLoaderJob', (s, w) => buildLoaderJob(s, w, loaderOptions)],
  ['buildLoaderTokenSecret', (s, w) => buildLoaderTokenSecret(s, w, { name: TOKEN_SECRET, token: 't' })],
];

const templateLabels = (object: KubeObject): Labels | undefined =>
  (object as { spec?: { template?: { metadata: { labels: Labels } } } }).spec?.template?.metadata.labels;

describe('common labels', () => {
  it.each(builders)(
    '%s stamps the managed-by and id labels (on its pod template too, if it has one)',
    (_, build) => {
      const object = build(spec, settings);
      expect(object.metadata.labels).toMatchObject(common);
      const podLabels = templateLabels(object);
      if (podLabels) expect(podLabels).toMatchObject(common);
    },
  );

  it('cannot be overridden by a builder', () => {
    const stamped = stampCommonLabels(
      { apiVersion: 'v1', kind: 'X', metadata: { name: 'x', labels: { 'tre.workspace-id': 'other' } } },
      commonLabels({ workspaceId: WORKSPACE_ID, projectId: PROJECT_ID }),
    );
    expect(stamped.metadata.labels['tre.workspace-id']).toBe(WORKSPACE_ID);
  });

  it('puts every namespaced object in the workspace namespace', () => {
    for (const [, build] of builders.slice(1))
      expect(build(spec, settings).metadata.namespace).toBe(namespace);
  });
});

describe('namespace', () => {
  it('enforces, audits and warns the restricted profile at the latest version', () => {
    expect(buildNamespace(spec, settings).metadata).toEqual({
      name: namespace,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
        ...common,
      },
    });
  });
});

describe('service account and volumes', () => {
  it('has a service account that mounts no token', () => {
    const account = buildServiceAccount(spec, settings);
    expect(account.metadata.name).toBe('workspace');
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it('claims data and outputs at the size, in the configured class', () => {
    const classed = exampleSettings({ storageClassName: 'encrypted-ssd' });
    expect(buildDataClaim(spec, classed).spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'encrypted-ssd',
      resources: { requests: { storage: '10Gi' } },
    });
    expect(buildOutputsClaim(exampleSpec({ size: 'medium' }), settings).spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '20Gi' } },
    });
  });
});

describe('quota and limits', () => {
  it('caps the namespace at the tool plus the loader, two claims, and no exposed services', () => {
    expect(buildResourceQuota(spec, settings).spec.hard).toEqual({
      'requests.cpu': '1500m',
      'limits.cpu': '1500m',
      'requests.memory': '2560Mi',
      'limits.memory': '2560Mi',
      pods: '3',
      persistentvolumeclaims: '2',
      'requests.storage': '15Gi',
      services: '1',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
  });

  it('writes the LimitRange default under the API name `default`, not the client model name `_default`', () => {
    const [container, claim] = buildLimitRange(exampleSpec({ size: 'large' }), settings).spec.limits;
    expect(container).toEqual({
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '500m', memory: '512Mi' },
      max: { cpu: '8', memory: '32Gi' },
    });
    expect(JSON.stringify(container)).not.toContain('_default');
    expect(claim).toEqual({ type: 'PersistentVolumeClaim', max: { storage: '200Gi' } });
  });
});

describe('desiredWorkspaceObjects', () => {
  const objects = desiredWorkspaceObjects(spec, settings);

  it('lists the namespace first, the walls before the workload, and no loader objects', () => {
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      `Namespace/${namespace}`,
      'NetworkPolicy/default-deny',
      'ResourceQuota/workspace-quota',
      'LimitRange/workspace-limits',
      'NetworkPolicy/allow-gateway-ingress',
      'ServiceAccount/workspace',
      'PersistentVolumeClaim/data',
      'PersistentVolumeClaim/outputs',
      'Deployment/tool',
      'Service/tool',
    ]);
  });

  it('passes replicas through for suspension', () => {
    const suspended = desiredWorkspaceObjects(spec, settings, { replicas: 0 });
    expect(ofKind(suspended, 'Deployment')[0]?.spec.replicas).toBe(0);
  });

  it('is deterministic: the same inputs give the same objects', () => {
    expect(desiredWorkspaceObjects(spec, settings)).toEqual(objects);
  });

  it('matches the reviewed rendering, whose safety properties are asserted explicitly beside it', () => {
    const rendered = [...objects, ...desiredLoaderObjects(spec, settings, loaderOptions)];
    // The snapshot shows a reviewer the whole of what is applied; these lines are what must never change.
    const policies = ofKind(rendered, 'NetworkPolicy');
    expect(policies.find((policy) => policy.metadata.name === 'default-deny')?.spec.policyTypes).toEqual([
      'Ingress',
      'Egress',
    ]);
    const egressRules = policies.flatMap((policy) => policy.spec.egress ?? []);
    expect(egressRules.flatMap((rule) => rule.to)).toEqual([{ ipBlock: { cidr: '10.96.0.50/32' } }]);
    for (const workload of [...ofKind(rendered, 'Deployment'), ...ofKind(rendered, 'Job')]) {
      const pod = workload.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.capabilities?.drop).toEqual(['ALL']);
      }
    }
    expect(rendered[0]?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(JSON.stringify(rendered, null, 2)).toMatchSnapshot();
  });
});
