import type { FakeKube } from '@tre/testing/fake-kube';
import {
  LOADER_TOKEN_SECRET_KEY,
  LOAD_TOKEN_SECRET_NAME,
  loaderJobName,
  workspaceNamespaceName,
  type LoadGrant,
  type LoadGrantsService,
  type LoadReport,
  type LoadScope,
  type LoadTokenIssuer,
  type WorkspaceSettings,
} from '@tre/workspaces';

/** What the stand-in reports as loaded: the size of a small extract, not measured. */
export const STOOD_IN_LOAD = { filesVerified: 3, bytes: 4_096 };

/**
 * The fake cluster has no kubelet, so the loader Job's pod (`tre workspace load`) never runs. This plays the
 * pod's part against the real load grants: once the provisioner has created the loader Job (which the fake
 * then reports succeeded), it reads the token from the Secret the pod would mount, presents it as the loader
 * would, and reports the load complete. Issuing, revoking and completion are the real LoadGrantsService's, so
 * a retried load step needs a new grant and Secret exactly as in a cluster.
 */
export class LoaderStandIn implements LoadTokenIssuer {
  private service?: LoadGrantsService;
  private namespacePrefix = '';

  constructor(private readonly cluster: FakeKube) {}

  /** The worker's own service, once its module is compiled (a factory override would not replace the alias). */
  attach(grants: LoadGrantsService, settings: WorkspaceSettings): void {
    this.service = grants;
    this.namespacePrefix = settings.namespacePrefix;
  }

  issue(scope: LoadScope, ttlSeconds: number): Promise<LoadGrant> {
    return this.grants.issue(scope, ttlSeconds);
  }

  revoke(workspaceId: string): Promise<void> {
    return this.grants.revoke(workspaceId);
  }

  async completion(scope: LoadScope): Promise<LoadReport | undefined> {
    const reported = await this.grants.completion(scope);
    if (reported) return reported;
    const token = this.tokenMountedByJob(scope);
    if (!token) return undefined;
    const grant = await this.grants.authenticate(token, scope).catch(() => undefined);
    if (!grant) return undefined;
    await this.grants.complete(grant.id, STOOD_IN_LOAD);
    return this.grants.completion(scope);
  }

  /** The token in the Secret beside this extract's loader Job, when both exist: what the pod would read. */
  private tokenMountedByJob(scope: LoadScope): string | undefined {
    const namespace = workspaceNamespaceName(this.namespacePrefix, scope.workspaceId);
    if (!this.cluster.object('Job', namespace, loaderJobName(scope.extractId))) return undefined;
    const secret = this.cluster.object('Secret', namespace, LOAD_TOKEN_SECRET_NAME);
    const encoded = (secret?.data as Record<string, string> | undefined)?.[LOADER_TOKEN_SECRET_KEY];
    return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
  }

  private get grants(): LoadGrantsService {
    if (!this.service) throw new Error('LoaderStandIn used before attach()');
    return this.service;
  }
}
