import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { DomainError, requestContext, ValidationError } from '@tre/core';
import {
  CollectGrantEntity,
  type CollectItem,
  type CollectOrigin,
  type GrantScope,
} from './collect-grant.entity';
import { hashCollectToken, isCollectTokenShaped, newCollectToken } from './collect-token';

/** The actor of what the collector does with its token: no person stands behind it. */
export const COLLECTOR_ACTOR = 'system:collector';
export const MAX_COLLECT_TOKEN_TTL_SECONDS = 86_400;
export const MAX_COLLECT_ITEMS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE = '"revoked_at" IS NULL AND "spent_at" IS NULL';

export type CollectDenial = 'unknown' | 'expired' | 'revoked' | 'spent' | 'out of scope';

/** A listing grant: one workspace's outputs folder, listed once; no paths. */
export interface ListScope {
  readonly listingId: string;
  readonly projectId: string;
  readonly requestedBy: string;
  readonly origin: CollectOrigin;
}

export interface CollectScope {
  readonly requestId: string;
  readonly projectId: string;
  readonly requestedBy: string;
  readonly items: readonly CollectItem[];
  readonly origin: CollectOrigin;
}

/**
 * Issues, checks, spends and revokes collect grants. The token is returned once by `issue` and never stored,
 * logged or audited; only its SHA-256 is kept. Issuing supersedes any live grant of the same request.
 */
@Injectable()
export class CollectGrantsService {
  private readonly logger = new Logger(CollectGrantsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async issue(
    scope: CollectScope,
    ttlSeconds: number,
  ): Promise<{ token: string; grantId: string; expiresAt: Date }> {
    for (const key of ['requestId', 'projectId'] as const)
      if (!UUID.test(scope[key])) throw new ValidationError(`${key} must be a UUID, got "${scope[key]}"`);
    if (scope.items.length === 0 || scope.items.length > MAX_COLLECT_ITEMS)
      throw new ValidationError(`a collection names 1 to ${MAX_COLLECT_ITEMS} files`);
    return this.create({ requestId: scope.requestId }, scope, [...scope.items], ttlSeconds, {
      paths: scope.items.map((i) => i.path),
    });
  }

  /** A grant for one listing of a workspace's outputs folder: the collector reports what it finds, once. */
  async issueForListing(
    scope: ListScope,
    ttlSeconds: number,
  ): Promise<{ token: string; grantId: string; expiresAt: Date }> {
    for (const key of ['listingId', 'projectId'] as const)
      if (!UUID.test(scope[key])) throw new ValidationError(`${key} must be a UUID, got "${scope[key]}"`);
    return this.create({ listingId: scope.listingId }, scope, [], ttlSeconds, { mode: 'list' });
  }

  private async create(
    target: GrantScope,
    scope: { projectId: string; requestedBy: string; origin: CollectOrigin },
    items: CollectItem[],
    ttlSeconds: number,
    details: Record<string, unknown>,
  ): Promise<{ token: string; grantId: string; expiresAt: Date }> {
    if (!UUID.test(scope.origin.workspaceId))
      throw new ValidationError('the origin must name a workspace id');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_COLLECT_TOKEN_TTL_SECONDS)
      throw new ValidationError(
        `a collect token lives 1 to ${MAX_COLLECT_TOKEN_TTL_SECONDS} seconds, not ${ttlSeconds}`,
      );
    const token = newCollectToken();
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const [id, column] =
      'requestId' in target
        ? ([target.requestId, '"request_id"'] as const)
        : ([target.listingId, '"listing_id"'] as const);
    const grantId = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collect-grant:${id}`]);
      await this.revokeWhere(manager, 'superseded', id, column);
      const grant = await manager.save(
        manager.create(CollectGrantEntity, {
          tokenHash: hashCollectToken(token),
          requestId: 'requestId' in target ? target.requestId : null,
          listingId: 'listingId' in target ? target.listingId : null,
          projectId: scope.projectId,
          requestedBy: scope.requestedBy,
          items,
          origin: scope.origin,
          expiresAt,
        }),
      );
      await this.record(manager, 'output.collect_granted', grant, this.actor(), {
        ...details,
        workspaceId: scope.origin.workspaceId,
        expiresAt: expiresAt.toISOString(),
      });
      return grant.id;
    });
    return { token, grantId, expiresAt };
  }

  /** The live grant this token holds for this request, or 401; a refusal of a token we issued is audited. */
  authenticate(token: string, requestId: string): Promise<CollectGrantEntity> {
    return this.authenticateFor(token, { requestId });
  }

  /** The live grant this token holds for this listing, or 401 (a request's token never lists, nor the reverse). */
  authenticateListing(token: string, listingId: string): Promise<CollectGrantEntity> {
    return this.authenticateFor(token, { listingId });
  }

  private async authenticateFor(token: string, scope: GrantScope): Promise<CollectGrantEntity> {
    const grant = isCollectTokenShaped(token)
      ? await this.dataSource
          .getRepository(CollectGrantEntity)
          .findOneBy({ tokenHash: hashCollectToken(token) })
      : null;
    const denial = denialOf(grant, scope);
    if (!grant || denial) {
      this.logger.warn(`collect token refused (${denial ?? 'unknown'})`);
      const [key, asked] =
        'requestId' in scope
          ? (['requestedRequestId', scope.requestId] as const)
          : (['requestedListingId', scope.listingId] as const);
      if (grant)
        await this.dataSource.transaction((manager) =>
          this.record(manager, 'output.collect_denied', grant, COLLECTOR_ACTOR, {
            reason: denial,
            [key]: UUID.test(asked) ? asked : 'not an id',
          }),
        );
      throw new DomainError(
        'unauthenticated',
        `The collect token is not valid here (${denial ?? 'unknown'})`,
      );
    }
    return grant;
  }

  /** Ends the request's live grant (idempotent): after the collection, whatever its outcome. */
  async revoke(requestId: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.revokeWhere(manager, 'revoked', requestId));
  }

  /** Ends this one grant if it is still live (idempotent): a collection ends its own grant, never a newer one. */
  async revokeGrant(grantId: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.revokeWhere(manager, 'revoked', grantId, '"id"'));
  }

  /**
   * Completes the grant's provenance once the worker knows it (the collector Job's uid exists only after the
   * Job is created); the intake gives the collector no plan until then, so no file is stored without it.
   */
  async setOrigin(grantId: string, origin: Partial<CollectOrigin>): Promise<void> {
    await this.dataSource.query(
      `UPDATE "output_collect_grants" SET "origin" = "origin" || $2::jsonb WHERE "id" = $1`,
      [grantId, JSON.stringify(origin)],
    );
  }

  /**
   * Of these grants, those whose cluster objects are still in use: neither revoked nor expired, and either not
   * yet spent or spent by a run still unsettled (the collector has reported, but the worker has yet to see its
   * Job end and clean up: removing the Job then would leave the worker waiting out the deadline for a run that
   * succeeded). The others' objects are leftovers.
   */
  async grantsInUse(grantIds: readonly string[]): Promise<Set<string>> {
    const ids = grantIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Set();
    const unsettled = (table: string) =>
      `EXISTS (SELECT 1 FROM "${table}" r WHERE r."grant_id" = g."id" AND r."state" IN ('queued', 'running'))`;
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT g."id" FROM "output_collect_grants" g
        WHERE g."id" = ANY($1::uuid[]) AND g."revoked_at" IS NULL AND g."expires_at" > now()
          AND (g."spent_at" IS NULL OR ${unsettled('output_collections')} OR ${unsettled('output_listings')})`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  byId(grantId: string): Promise<CollectGrantEntity | null> {
    return this.dataSource.getRepository(CollectGrantEntity).findOneBy({ id: grantId });
  }

  private async revokeWhere(
    manager: EntityManager,
    reason: string,
    id: string,
    column: '"request_id"' | '"listing_id"' | '"id"' = '"request_id"',
  ): Promise<void> {
    const [rows] = await manager.query<
      [
        {
          id: string;
          request_id: string | null;
          listing_id: string | null;
          project_id: string;
          origin: CollectOrigin;
        }[],
        number,
      ]
    >(
      `UPDATE "output_collect_grants" SET "revoked_at" = now() WHERE ${column} = $1 AND ${LIVE}
       RETURNING "id", "request_id", "listing_id", "project_id", "origin"`,
      [id],
    );
    for (const row of rows)
      await this.record(
        manager,
        'output.collect_revoked',
        {
          id: row.id,
          requestId: row.request_id,
          listingId: row.listing_id,
          projectId: row.project_id,
          origin: row.origin,
        },
        this.actor(),
        { reason },
      );
  }

  /** Audits a grant's event: on its request, or (a listing grant) on the workspace it lists. */
  record(
    manager: EntityManager,
    action: string,
    grant: Pick<CollectGrantEntity, 'id' | 'requestId' | 'listingId' | 'projectId' | 'origin'>,
    actorId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.append(manager, {
      action,
      subjectType: grant.requestId ? 'output_request' : 'workspace',
      subjectId: grant.requestId ?? grant.origin.workspaceId,
      actorId,
      details: {
        grantId: grant.id,
        projectId: grant.projectId,
        ...(grant.listingId ? { listingId: grant.listingId } : {}),
        ...details,
      },
    });
  }

  private actor(): string {
    return requestContext.current()?.actorId ?? SYSTEM_ACTOR.worker;
  }
}

/** Why a grant does not admit a use for this request or listing, if it does not. */
export function denialOf(grant: CollectGrantEntity | null, scope: GrantScope): CollectDenial | undefined {
  if (!grant) return 'unknown';
  if (grant.spentAt) return 'spent';
  if (grant.revokedAt) return 'revoked';
  if (grant.expiresAt.getTime() <= Date.now()) return 'expired';
  const inScope =
    'requestId' in scope
      ? grant.requestId !== null && grant.requestId === scope.requestId
      : grant.listingId !== null && grant.listingId === scope.listingId;
  if (!inScope) return 'out of scope';
  return undefined;
}

/** The scope a grant was issued for. */
export function scopeOf(grant: Pick<CollectGrantEntity, 'requestId' | 'listingId'>): GrantScope {
  return grant.requestId ? { requestId: grant.requestId } : { listingId: grant.listingId ?? '' };
}
