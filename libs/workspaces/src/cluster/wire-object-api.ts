import {
  HttpMethod,
  KubernetesObjectApi,
  type Configuration,
  type KubeConfig,
  type KubernetesObject,
  type RequestContext,
} from '@kubernetes/client-node';

/** An API server's answer, its body parsed as JSON when it is JSON and left as text otherwise. */
export interface WireResponse {
  status: number;
  body: unknown;
}

export interface WireRequest {
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

/** Which REST path an action addresses: the collection (create, list) or one named object. */
export type WireAction = 'create' | 'list' | 'read' | 'patch' | 'delete';

/**
 * KubernetesObjectApi, speaking plain JSON. We keep its discovery (it resolves a kind to its REST path from
 * the server's resource lists, cached per API version), its kubeconfig handling (auth, TLS, proxies) and
 * its HTTP library, and replace only its typed (de)serialisation: ObjectSerializer drops keys its models do
 * not know and renames others (LimitRange `default` is `_default` there, so the quota's defaults would be
 * sent as nothing), and turns timestamps into Dates. Our manifests already carry the wire names.
 */
export class WireObjectApi extends KubernetesObjectApi {
  /** Bounds every request, discovery included, so a silent server cannot hang a provisioning step. */
  private timeoutMs = 30_000;

  static forKubeConfig(kubeConfig: KubeConfig, timeoutMs: number): WireObjectApi {
    const api = kubeConfig.makeApiClient(WireObjectApi);
    api.setDefaultNamespace(kubeConfig);
    api.timeoutMs = timeoutMs;
    return api;
  }

  /** The REST path of an object or its collection, resolved through discovery. */
  async pathOf(
    ref: { apiVersion: string; kind: string; namespace?: string; name?: string },
    action: WireAction,
  ): Promise<string> {
    // specUriPath fills in defaults on the object it is given, so it gets a copy.
    const header: KubernetesObject = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    };
    return this.specUriPath(header, action);
  }

  async send(method: HttpMethod, path: string, request: WireRequest = {}): Promise<WireResponse> {
    const context = this.configuration.baseServer.makeRequestContext(path, method);
    context.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(request.query ?? {})) context.setQueryParam(name, value);
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    this.bound(context);
    await this.authenticate(context);
    const response = await this.configuration.httpApi.send(context).toPromise();
    const text = await response.body.text();
    return { status: response.httpStatusCode, body: parseBody(text) };
  }

  /** Discovery goes through the parent's request path; bound it by the same deadline. */
  protected override async requestPromise<T extends KubernetesObject>(
    context: RequestContext,
    type?: string,
    options?: Configuration,
  ): Promise<T> {
    this.bound(context);
    return super.requestPromise<T>(context, type, options);
  }

  private bound(context: RequestContext): void {
    if (!context.getSignal()) context.setSignal(AbortSignal.timeout(this.timeoutMs));
  }

  /** As the parent does before each request: the kubeconfig's credentials and TLS settings. */
  private async authenticate(context: RequestContext): Promise<void> {
    const { authMethods } = this.configuration;
    await authMethods.BearerToken?.applySecurityAuthentication(context);
    await authMethods.default?.applySecurityAuthentication(context);
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export { HttpMethod };
