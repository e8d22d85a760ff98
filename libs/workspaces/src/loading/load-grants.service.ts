import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { DomainError, requestContext, ValidationError } from '@tre/core';
import { LoadGrantEntity } from './load-grant.entity';
import { hashLoadToken, isLoadTokenShaped, newLoadToken } from './load-token';
import type { LoadGrant, LoadReport, LoadScope, LoadTokenIssuer } from './load-token-issuer';

/** The actor of what the loader does with its token: no person stands behind it. */
export const LOADER_ACTOR = 'system:loader';
/** A load token lives at most a day; the provisioner asks for much less (the Job's deadline and a margin). */
export const MAX_LOAD_TOKEN_TTL_SECONDS = 86_400;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE = '"revoked_at" IS NULL AND "completed_at" IS NULL';

export type LoadDenial = 'unknown' | 'expired' | 'revoked' | 'completed' | 'out of scope';

/** The path a loader asks for: its grant must name exactly this workspace and extract. */
export interface LoadTarget {
  workspaceId: string;
  extractId: string;
}

/**
 * Issues, checks, completes and revokes load grants. The token is returned once by `issue` and never stored,
 * logged or audited; only its SHA-256 is kept, and every check compares hashes.
 */
@Injectable()
export class LoadGrantsService implements LoadTokenIssuer {
  private readonly logger = new Logger(LoadGrantsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async issue(scope: LoadScope, ttlSeconds: number): Promise<LoadGrant> {
    for (const key of ['workspaceId', 'projectId', 'extractId'] as const)
      if (!UUID.test(scope[key])) throw new ValidationError(`${key} must be a UUID, got "${scope[key]}"`);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LOAD_TOKEN_TTL_SECONDS)
      throw new ValidationError(
        `a load token lives 1 to ${MAX_LOAD_TOKEN_TTL_SECONDS} seconds, not ${ttlSeconds}`,
      );
    const token = newLoadToken();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.dataSource.transaction(async (manager) => {
      // Serialises issues for one workspace and extract, so two never both find no live grant and insert.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `load-grant:${scope.workspaceId}:${scope.extractId}`,
      ]);
      await this.revokeWhere(manager, 'superseded', `"workspace_id" = $1 AND "extract_id" = $2`, [
        scope.workspaceId,
        scope.extractId,
      ]);
      const grant = await manager.save(
        manager.create(LoadGrantEntity, {
          workspaceId: scope.workspaceId,
          projectId: scope.projectId,
          extractId: scope.extractId,
          tokenHash: hashLoadToken(token),
          expiresAt,
        }),
      );
      await this.record(manager, 'workspace.load_granted', grant, this.actor(), {
        expiresAt: expiresAt.toISOString(),
      });
    });
    return { token, expiresAt };
  }

  async revoke(workspaceId: string): Promise<void> {
    if (!UUID.test(workspaceId))
      throw new ValidationError(`workspaceId must be a UUID, got "${workspaceId}"`);
    await this.dataSource.transaction((manager) =>
      this.revokeWhere(manager, 'revoked', `"workspace_id" = $1`, [workspaceId]),
    );
  }

  async completion(scope: LoadScope): Promise<LoadReport | undefined> {
    const grant = await this.dataSource.getRepository(LoadGrantEntity).findOne({
      where: { workspaceId: scope.workspaceId, projectId: scope.projectId, extractId: scope.extractId },
      order: { completedAt: { direction: 'DESC', nulls: 'LAST' } },
    });
    if (!grant?.completedAt) return undefined;
    return {
      filesVerified: grant.filesVerified ?? 0,
      bytes: Number(grant.bytes ?? 0),
      completedAt: grant.completedAt,
    };
  }

  /**
   * The live grant this token holds for this target, or 401. A refusal of a token we issued is audited with
   * its reason; an unknown token is only logged (recording every guess would let anyone fill the trail).
   */
  async authenticate(token: string, target: LoadTarget): Promise<LoadGrantEntity> {
    const grant = isLoadTokenShaped(token)
      ? await this.dataSource.getRepository(LoadGrantEntity).findOneBy({ tokenHash: hashLoadToken(token) })
      : null;
    const denial = this.denial(grant, target);
    if (!grant || denial) {
      await this.deny(grant, denial ?? 'unknown', target);
      throw new DomainError('unauthenticated', `The load token is not valid here (${denial ?? 'unknown'})`);
    }
    return grant;
  }

  /**
   * Records the loader's report and ends the grant. The report must match the manifest the grant covers;
   * a report for a grant that is no longer live is refused like any other use of a dead token.
   */
  async complete(grantId: string, report: { filesVerified: number; bytes: number }): Promise<LoadReport> {
    return this.dataSource.transaction(async (manager) => {
      const grant = await manager.findOne(LoadGrantEntity, {
        where: { id: grantId },
        lock: { mode: 'pessimistic_write' },
      });
      const denial = this.denial(grant, grant ?? { workspaceId: '', extractId: '' });
      if (!grant || denial)
        throw new DomainError('unauthenticated', `The load token is not valid here (${denial})`);
      const completedAt = new Date();
      await manager.update(
        LoadGrantEntity,
        { id: grant.id },
        { completedAt, filesVerified: report.filesVerified, bytes: String(report.bytes) },
      );
      await this.record(manager, 'workspace.load_completed', grant, LOADER_ACTOR, {
        filesVerified: report.filesVerified,
        bytes: report.bytes,
      });
      return { ...report, completedAt };
    });
  }

  private denial(grant: LoadGrantEntity | null, target: LoadTarget): LoadDenial | undefined {
    if (!grant) return 'unknown';
    if (grant.completedAt) return 'completed';
    if (grant.revokedAt) return 'revoked';
    if (grant.expiresAt.getTime() <= Date.now()) return 'expired';
    if (grant.workspaceId !== target.workspaceId || grant.extractId !== target.extractId)
      return 'out of scope';
    return undefined;
  }

  private async deny(grant: LoadGrantEntity | null, reason: LoadDenial, target: LoadTarget): Promise<void> {
    this.logger.warn(`load token refused (${reason}) for workspace ${target.workspaceId}`);
    if (!grant) return;
    await this.dataSource.transaction((manager) =>
      this.record(manager, 'workspace.load_denied', grant, LOADER_ACTOR, {
        reason,
        // Path parameters are the caller's words: recorded only when they are ids.
        requestedWorkspaceId: UUID.test(target.workspaceId) ? target.workspaceId : 'not an id',
        requestedExtractId: UUID.test(target.extractId) ? target.extractId : 'not an id',
      }),
    );
  }

  private async revokeWhere(
    manager: EntityManager,
    reason: 'revoked' | 'superseded',
    where: string,
    parameters: string[],
  ): Promise<void> {
    const [rows] = await manager.query<[LoadGrantRow[], number]>(
      `UPDATE "workspace_load_grants" SET "revoked_at" = now() WHERE ${where} AND ${LIVE}
       RETURNING "id", "workspace_id", "project_id", "extract_id"`,
      parameters,
    );
    for (const row of rows) {
      const grant = {
        id: row.id,
        workspaceId: row.workspace_id,
        projectId: row.project_id,
        extractId: row.extract_id,
      };
      await this.record(manager, 'workspace.load_revoked', grant, this.actor(), { reason });
    }
  }

  private record(
    manager: EntityManager,
    action: string,
    grant: Pick<LoadGrantEntity, 'id' | 'workspaceId' | 'projectId' | 'extractId'>,
    actorId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.append(manager, {
      action,
      subjectType: 'workspace',
      subjectId: grant.workspaceId,
      actorId,
      details: { grantId: grant.id, projectId: grant.projectId, extractId: grant.extractId, ...details },
    });
  }

  /** Issues and revocations come from the provisioner (the worker) or a person's request. */
  private actor(): string {
    return requestContext.current()?.actorId ?? SYSTEM_ACTOR.worker;
  }
}

interface LoadGrantRow {
  id: string;
  workspace_id: string;
  project_id: string;
  extract_id: string;
}
