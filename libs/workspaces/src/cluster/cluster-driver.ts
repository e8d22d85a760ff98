import type { KubeObject, Labels } from '../manifests/kube-types';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../manifests/labels';

/** The field manager our server-side applies are recorded under; `kubectl` users see it in managedFields. */
export const FIELD_MANAGER = 'tre-provisioner';

/** The selector that finds every namespace this service manages, and nothing else. */
export const MANAGED_NAMESPACE_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/**
 * The kinds a driver reads and deletes by name, with the API version we speak for each. Pod is here although
 * we never create one: the provisioner reads the loader's pods to explain a failed load.
 */
export const KIND_API_VERSIONS = {
  Namespace: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  ServiceAccount: 'v1',
  Secret: 'v1',
  PersistentVolumeClaim: 'v1',
  Service: 'v1',
  Pod: 'v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
} as const;

export type ManagedKind = keyof typeof KIND_API_VERSIONS;

export const CLUSTER_SCOPED_KINDS: ReadonlySet<ManagedKind> = new Set<ManagedKind>(['Namespace']);

export function isManagedKind(kind: string): kind is ManagedKind {
  return Object.prototype.hasOwnProperty.call(KIND_API_VERSIONS, kind);
}

/**
 * An object as stored: what we sent plus what the server writes. Server fields are optional because the
 * manifests driver has no server to write them; everything else is left loose on purpose (read it through
 * the drift helper or narrow it), since a live object may carry any field the API knows.
 */
export interface LiveObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Labels;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/**
 * What the provisioner and reconciler need from a cluster, and no more. Implementations never throw anything
 * but a ClusterError from these methods, so callers decide retry or fail on `error.kind` alone.
 */
export interface ClusterDriver {
  /**
   * Makes the stored object hold every field of `object`, changing nothing when it already does (the
   * returned resourceVersion is then the previous one). Safe to repeat and to run twice at once.
   */
  apply(object: KubeObject): Promise<LiveObject>;
  /**
   * Creates the object, never touching an existing one: for Secrets, which the provisioner may create and
   * delete but must not be able to read (a patch answers with the stored object, so it needs no patch right).
   * Returns false when an object of that name exists already.
   */
  create(object: KubeObject): Promise<boolean>;
  /** The stored object, or undefined when there is none. `namespace` is ignored for cluster-scoped kinds. */
  get(kind: ManagedKind, namespace: string | undefined, name: string): Promise<LiveObject | undefined>;
  /**
   * Asks for the object's deletion. Returns true when a deletion was requested, false when it was already
   * gone (404 is success: deleting twice is fine). A namespace may still be terminating when this returns.
   */
  delete(kind: ManagedKind, namespace: string | undefined, name: string): Promise<boolean>;
  /**
   * Removes every finalizer of the object (a merge patch), for clusters without the controllers that would
   * (a bare API server). Optional: a driver without a cluster has nothing to clear.
   */
  clearFinalizers?(kind: ManagedKind, namespace: string | undefined, name: string): Promise<void>;
  /** Every namespace labelled as ours, terminating ones included, so the reconciler can find orphans. */
  listManagedNamespaces(): Promise<LiveObject[]>;
  /**
   * The pods of one namespace matching a label selector: how the provisioner reads why a loader Job failed
   * (its pods' termination messages). A driver with no cluster has no pods and answers [].
   */
  listPods(namespace: string, labelSelector: string): Promise<LiveObject[]>;
  /**
   * The Jobs or NetworkPolicies of one namespace matching a label selector: how the reconciler finds the
   * objects of collections a dead worker left behind. Never Secrets (the provisioner may not read them).
   */
  listLabelled(
    kind: 'Job' | 'NetworkPolicy',
    namespace: string,
    labelSelector: string,
  ): Promise<LiveObject[]>;
  /** One line for logs, status pages and the demo: where objects go. */
  describe(): string;
}
