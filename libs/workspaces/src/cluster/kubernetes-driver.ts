import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../manifests/kube-types';
import {
  FIELD_MANAGER,
  KIND_API_VERSIONS,
  MANAGED_NAMESPACE_SELECTOR,
  type ClusterDriver,
  type LiveObject,
  type ManagedKind,
} from './cluster-driver';
import { ClusterError, classifyStatus, classifyThrown, parseStatusBody } from './cluster-error';
import { HttpMethod, WireObjectApi, type WireResponse } from './wire-object-api';

export interface KubernetesDriverOptions {
  /** A kubeconfig file; when absent, the pod's own service account (in-cluster configuration). */
  kubeconfigPath?: string;
  /** Deadline of each request; a request past it is a transient failure. */
  requestTimeoutMs?: number;
}

const APPLY_CONTENT_TYPE = 'application/apply-patch+yaml';
const LIST_PAGE_SIZE = 500;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isLiveObject(value: unknown): value is LiveObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

function refText(kind: string, namespace: string | undefined, name: string): string {
  return namespace && kind !== 'Namespace' ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** Server errors, network errors and client errors, all turned into a ClusterError naming the operation. */
function toClusterError(error: unknown, operation: string): ClusterError {
  // The client's ApiException (thrown by its discovery requests) carries the HTTP status and body.
  if (isRecord(error) && typeof error.code === 'number' && 'body' in error) {
    return classifyStatus(error.code, error.body, operation);
  }
  return classifyThrown(error, operation);
}

/**
 * Talks to a real API server. Every write is a server-side apply (PATCH, application/apply-patch+yaml,
 * fieldManager tre-provisioner, force): one request whether or not the object exists, no read-modify-write race
 * between two workers, and the server itself decides whether anything changed (an identical apply is a
 * no-op that keeps the resourceVersion). `force` takes back fields someone else edited (`kubectl edit` of a
 * NetworkPolicy): in a sealed workspace our manifest is the only source of truth, so drift is overwritten,
 * not negotiated. Fields we never set (a Deployment's status, defaults the server fills) are left alone.
 */
export class KubernetesDriver implements ClusterDriver {
  private constructor(
    private readonly api: WireObjectApi,
    private readonly where: string,
  ) {}

  static create(options: KubernetesDriverOptions = {}): KubernetesDriver {
    const kubeConfig = new KubeConfig();
    try {
      if (options.kubeconfigPath) {
        kubeConfig.loadFromFile(options.kubeconfigPath);
      } else {
        if (!process.env.KUBERNETES_SERVICE_HOST) {
          throw new Error('not running in a cluster (KUBERNETES_SERVICE_HOST is unset); set KUBECONFIG_PATH');
        }
        kubeConfig.loadFromCluster();
      }
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClusterError('permanent', 'KubeConfig', `cannot load the cluster configuration: ${reason}`);
    }
    const server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
    const source = options.kubeconfigPath
      ? `kubeconfig ${options.kubeconfigPath}`
      : 'in-cluster service account';
    return new KubernetesDriver(
      WireObjectApi.forKubeConfig(kubeConfig, options.requestTimeoutMs ?? 30_000),
      `kubernetes API at ${server} (${source})`,
    );
  }

  describe(): string {
    return this.where;
  }

  async apply(object: KubeObject): Promise<LiveObject> {
    const { name, namespace } = object.metadata;
    const operation = `apply ${refText(object.kind, namespace, name)}`;
    const response = await this.call(operation, async () => {
      const path = await this.api.pathOf(
        { apiVersion: object.apiVersion, kind: object.kind, namespace, name },
        'patch',
      );
      return this.api.send(HttpMethod.PATCH, path, {
        query: { fieldManager: FIELD_MANAGER, force: 'true' },
        body: object,
        contentType: APPLY_CONTENT_TYPE,
      });
    });
    return this.objectFrom(response, operation);
  }

  async create(object: KubeObject): Promise<boolean> {
    const { name, namespace } = object.metadata;
    const operation = `create ${refText(object.kind, namespace, name)}`;
    const response = await this.call(operation, async () => {
      const path = await this.api.pathOf(
        { apiVersion: object.apiVersion, kind: object.kind, namespace },
        'create',
      );
      // The answer (which would hold a Secret's data) is not kept.
      return this.api.send(HttpMethod.POST, path, { query: { fieldManager: FIELD_MANAGER }, body: object });
    });
    if (response.status === 409) {
      const { reason } = parseStatusBody(response.body);
      if (reason === 'AlreadyExists') return false;
    }
    if (response.status < 200 || response.status >= 300) {
      throw classifyStatus(response.status, response.body, operation);
    }
    return true;
  }

  async get(kind: ManagedKind, namespace: string | undefined, name: string): Promise<LiveObject | undefined> {
    const operation = `get ${refText(kind, namespace, name)}`;
    const response = await this.call(operation, async () => {
      const path = await this.api.pathOf(
        { apiVersion: KIND_API_VERSIONS[kind], kind, namespace, name },
        'read',
      );
      return this.api.send(HttpMethod.GET, path);
    });
    if (response.status === 404) return undefined;
    return this.objectFrom(response, operation);
  }

  async delete(kind: ManagedKind, namespace: string | undefined, name: string): Promise<boolean> {
    const operation = `delete ${refText(kind, namespace, name)}`;
    const response = await this.call(operation, async () => {
      const path = await this.api.pathOf(
        { apiVersion: KIND_API_VERSIONS[kind], kind, namespace, name },
        'delete',
      );
      // Foreground would hold the object until its dependents go; background returns at once, which is what a
      // retried step wants (a Job's pods are removed by the garbage collector either way).
      return this.api.send(HttpMethod.DELETE, path, {
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      });
    });
    if (response.status === 404) return false;
    if (response.status >= 200 && response.status < 300) return true;
    throw classifyStatus(response.status, response.body, operation);
  }

  async clearFinalizers(kind: ManagedKind, namespace: string | undefined, name: string): Promise<void> {
    const operation = `clear finalizers of ${refText(kind, namespace, name)}`;
    const response = await this.call(operation, async () => {
      const path = await this.api.pathOf(
        { apiVersion: KIND_API_VERSIONS[kind], kind, namespace, name },
        'patch',
      );
      return this.api.send(HttpMethod.PATCH, path, {
        body: { metadata: { finalizers: null } },
        contentType: 'application/merge-patch+json',
      });
    });
    if (response.status === 404) return;
    if (response.status < 200 || response.status >= 300) {
      throw classifyStatus(response.status, response.body, operation);
    }
  }

  listManagedNamespaces(): Promise<LiveObject[]> {
    return this.list('Namespace', undefined, MANAGED_NAMESPACE_SELECTOR);
  }

  listPods(namespace: string, labelSelector: string): Promise<LiveObject[]> {
    return this.list('Pod', namespace, labelSelector);
  }

  listLabelled(
    kind: 'Job' | 'NetworkPolicy',
    namespace: string,
    labelSelector: string,
  ): Promise<LiveObject[]> {
    return this.list(kind, namespace, labelSelector);
  }

  /** Every object of a kind matching the selector, page by page. */
  private async list(
    kind: ManagedKind,
    namespace: string | undefined,
    labelSelector: string,
  ): Promise<LiveObject[]> {
    const apiVersion = KIND_API_VERSIONS[kind];
    const operation = `list ${namespace ? `${kind.toLowerCase()}s in ${namespace}` : `${kind.toLowerCase()}s`} ${labelSelector}`;
    const objects: LiveObject[] = [];
    let continueToken: string | undefined;
    do {
      const query: Record<string, string> = { labelSelector, limit: String(LIST_PAGE_SIZE) };
      if (continueToken) query.continue = continueToken;
      const response = await this.call(operation, async () => {
        const path = await this.api.pathOf({ apiVersion, kind, namespace }, 'list');
        return this.api.send(HttpMethod.GET, path, { query });
      });
      if (response.status < 200 || response.status >= 300) {
        throw classifyStatus(response.status, response.body, operation);
      }
      const list = isRecord(response.body) ? response.body : {};
      const items = Array.isArray(list.items) ? (list.items as unknown[]) : [];
      for (const item of items) {
        // Items of a list carry neither apiVersion nor kind; the list's own do.
        const stamped: unknown = isRecord(item) ? { apiVersion, kind, ...item } : item;
        if (isLiveObject(stamped)) objects.push(stamped);
      }
      const metadata = isRecord(list.metadata) ? list.metadata : {};
      continueToken =
        typeof metadata.continue === 'string' && metadata.continue ? metadata.continue : undefined;
    } while (continueToken);
    return objects;
  }

  private async call(operation: string, send: () => Promise<WireResponse>): Promise<WireResponse> {
    try {
      return await send();
    } catch (error: unknown) {
      throw toClusterError(error, operation);
    }
  }

  private objectFrom(response: WireResponse, operation: string): LiveObject {
    if (response.status < 200 || response.status >= 300) {
      throw classifyStatus(response.status, response.body, operation);
    }
    if (!isLiveObject(response.body)) {
      throw new ClusterError(
        'transient',
        'InvalidResponse',
        `${operation}: the server's answer is not an object`,
      );
    }
    return response.body;
  }
}
