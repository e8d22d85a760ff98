import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import {
  LOAD_TOKEN_ISSUER,
  type LoadGrant,
  type LoadReport,
  type LoadScope,
  type LoadTokenIssuer,
} from '@tre/workspaces';

/**
 * Stands in for the loading side in tests: issues random tokens, records revocations, and reports a
 * completed load for an issued scope while `loaderSucceeds` (the fake cluster reports the Job's outcome).
 */
export class TestLoadTokenIssuer implements LoadTokenIssuer {
  readonly issued: LoadScope[] = [];
  readonly revoked: string[] = [];
  loaderSucceeds = true;

  issue(scope: LoadScope, ttlSeconds: number): Promise<LoadGrant> {
    this.issued.push({ ...scope });
    return Promise.resolve({
      token: randomBytes(24).toString('base64url'),
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
    });
  }

  revoke(workspaceId: string): Promise<void> {
    this.revoked.push(workspaceId);
    return Promise.resolve();
  }

  completion(scope: LoadScope): Promise<LoadReport | undefined> {
    const issued = this.issued.some(
      (s) => s.workspaceId === scope.workspaceId && s.extractId === scope.extractId,
    );
    return Promise.resolve(
      issued && this.loaderSucceeds ? { filesVerified: 3, bytes: 4096, completedAt: new Date() } : undefined,
    );
  }
}

/** A global provider of the test issuer, so WorkspacesModule finds it as it will find the real one. */
export function testLoadTokenIssuerModule(issuer: TestLoadTokenIssuer) {
  @Global()
  @Module({ providers: [{ provide: LOAD_TOKEN_ISSUER, useValue: issuer }], exports: [LOAD_TOKEN_ISSUER] })
  class TestLoadTokenIssuerModule {}
  return TestLoadTokenIssuerModule;
}
