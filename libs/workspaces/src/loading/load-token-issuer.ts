/**
 * The seam between provisioning and loading. The provisioner asks for a one-time, short-lived token scoped to one
 * workspace and one extract, hands it to the loader Job through an immutable Secret, and revokes it as soon as the
 * load has ended (succeeded or failed). The loading side (API routes the loader calls, `tre workspace load`)
 * accepts the token for that workspace's extract only, until it expires, is revoked, or the load is reported done.
 */
export interface LoadGrant {
  /** The bearer secret; shown once, stored only as a hash. */
  token: string;
  expiresAt: Date;
}

export interface LoadScope {
  workspaceId: string;
  projectId: string;
  extractId: string;
}

/** What the loader reported when it finished, as recorded by the API. */
export interface LoadReport {
  /** Files written and verified against the manifest's SHA-256. */
  filesVerified: number;
  bytes: number;
  completedAt: Date;
}

export interface LoadTokenIssuer {
  /** A new grant; any earlier grant for the same workspace and extract is revoked, so one is live at a time. */
  issue(scope: LoadScope, ttlSeconds: number): Promise<LoadGrant>;
  /** Ends every grant of the workspace (idempotent). */
  revoke(workspaceId: string): Promise<void>;
  /** The loader's completion report for this scope, if it has reported success. */
  completion(scope: LoadScope): Promise<LoadReport | undefined>;
}

/** Nest injection token of the LoadTokenIssuer implementation. */
export const LOAD_TOKEN_ISSUER = Symbol('LOAD_TOKEN_ISSUER');
