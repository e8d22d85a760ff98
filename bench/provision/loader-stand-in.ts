import type { LoadGrant, LoadGrantsService, LoadScope, LoadTokenIssuer } from '@tre/workspaces';

/** What the stand-in reports as loaded: the size of a small extract, not measured. */
export const STOOD_IN_LOAD = { filesVerified: 3, bytes: 4_096 };

/**
 * The fake cluster has no kubelet, so the loader Job's pod (`tre workspace load`) never runs. This issuer
 * plays its part against the real load grants: it issues the grant as production does (row, hash, audit),
 * then at once presents the token as the loader would and reports the load complete, so the provisioner's
 * `completion(scope)` finds a real completed grant once the fake reports the Job succeeded. Revocation and
 * completion are the real service's.
 */
export class LoaderStandIn implements LoadTokenIssuer {
  private service?: LoadGrantsService;

  /** The worker's own service, once its module is compiled (a factory override would not replace the alias). */
  attach(grants: LoadGrantsService): void {
    this.service = grants;
  }

  private get grants(): LoadGrantsService {
    if (!this.service) throw new Error('LoaderStandIn used before attach()');
    return this.service;
  }

  async issue(scope: LoadScope, ttlSeconds: number): Promise<LoadGrant> {
    const grant = await this.grants.issue(scope, ttlSeconds);
    const held = await this.grants.authenticate(grant.token, scope);
    await this.grants.complete(held.id, STOOD_IN_LOAD);
    return grant;
  }

  revoke(workspaceId: string): Promise<void> {
    return this.grants.revoke(workspaceId);
  }

  completion(scope: LoadScope) {
    return this.grants.completion(scope);
  }
}
