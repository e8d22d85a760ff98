/**
 * Minimal stand-ins for KEDA's CustomResourceDefinitions (keda.sh/v1alpha1 ScaledObject and
 * TriggerAuthentication), so the API server checks k8s/overlays/worker-queue-scaling as a cluster with KEDA
 * installed would. The structure follows KEDA's published CRDs (the scaling reference at keda.sh/docs) for the
 * fields the overlay uses: the same names, types, required fields and enum; written here, not copied, and
 * narrower than the real schema (no `advanced`, `fallback`, or the other authentication sources).
 */
/** The part of OpenAPI v3 a CRD's structural schema uses here. */
export interface StructuralSchema {
  type: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  format?: string;
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

const int32: StructuralSchema = { type: 'integer', format: 'int32' };

const str: StructuralSchema = { type: 'string' };

const scaledObjectSchema: StructuralSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['scaleTargetRef', 'triggers'],
      properties: {
        scaleTargetRef: {
          type: 'object',
          required: ['name'],
          properties: { apiVersion: str, kind: str, name: str, envSourceContainerName: str },
        },
        pollingInterval: int32,
        cooldownPeriod: int32,
        idleReplicaCount: int32,
        minReplicaCount: int32,
        maxReplicaCount: int32,
        triggers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'metadata'],
            properties: {
              type: str,
              name: str,
              useCachedMetrics: { type: 'boolean' },
              metricType: { type: 'string', enum: ['AverageValue', 'Value', 'Utilization'] },
              metadata: { type: 'object', additionalProperties: str },
              authenticationRef: { type: 'object', required: ['name'], properties: { name: str, kind: str } },
            },
          },
        },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const triggerAuthenticationSchema: StructuralSchema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        secretTargetRef: {
          type: 'array',
          items: {
            type: 'object',
            required: ['parameter', 'name', 'key'],
            properties: { parameter: str, name: str, key: str },
          },
        },
        env: {
          type: 'array',
          items: {
            type: 'object',
            required: ['parameter', 'name'],
            properties: { parameter: str, name: str, containerName: str },
          },
        },
      },
    },
  },
};

const crd = (kind: string, plural: string, schema: object): Record<string, unknown> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.keda.sh` },
  spec: {
    group: 'keda.sh',
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
  },
});

export const KEDA_SCHEMAS: Record<string, StructuralSchema> = {
  ScaledObject: scaledObjectSchema,
  TriggerAuthentication: triggerAuthenticationSchema,
};

export const KEDA_CRDS = [
  crd('ScaledObject', 'scaledobjects', scaledObjectSchema),
  crd('TriggerAuthentication', 'triggerauthentications', triggerAuthenticationSchema),
];
