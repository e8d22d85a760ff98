import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import { UserEntity } from './user.entity';
import type { AuthenticatedUser, VerifiedClaims } from './authenticated-user';

/** How long a user seen with unchanged claims is served from memory before the row is touched again. */
const FRESH_FOR_MS = 60_000;
const MAX_CACHED = 10_000;

interface CachedUser {
  readonly user: AuthenticatedUser;
  readonly claimsKey: string;
  readonly at: number;
}

const sameRoles = (a: readonly string[], b: readonly string[]): boolean =>
  [...a].sort().join(',') === [...b].sort().join(',');

/**
 * Users are upserted from token claims. A first sighting and a change of roles are audited (the latter is
 * how privilege changes made at the identity provider become visible here); names stay out of the trail.
 */
@Injectable()
export class UsersService {
  private readonly cache = new Map<string, CachedUser>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async upsertFromClaims(claims: VerifiedClaims): Promise<AuthenticatedUser> {
    const key = `${claims.issuer}\u0000${claims.subject}`;
    const claimsKey = `${claims.name}\u0000${claims.email ?? ''}\u0000${[...claims.roles].sort().join(',')}`;
    const cached = this.cache.get(key);
    if (cached && cached.claimsKey === claimsKey && Date.now() - cached.at < FRESH_FOR_MS) return cached.user;

    const row = await this.dataSource.transaction((manager) => this.upsert(manager, claims));
    const user: AuthenticatedUser = {
      id: row.id,
      subject: row.subject,
      name: row.displayName,
      roles: claims.roles,
    };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { user, claimsKey, at: Date.now() });
    return user;
  }

  private async upsert(manager: EntityManager, claims: VerifiedClaims): Promise<UserEntity> {
    const now = new Date();
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({
        issuer: claims.issuer,
        subject: claims.subject,
        displayName: claims.name,
        roles: claims.roles,
        email: claims.email ?? null,
        lastSeenAt: now,
      })
      .orIgnore()
      .returning('*')
      .execute();
    const created = (inserted.raw as { id: string }[])[0];
    if (created) {
      await this.audit.append(manager, {
        action: 'user.registered',
        subjectType: 'user',
        subjectId: created.id,
        actorId: created.id,
        details: { roles: [...claims.roles].sort() },
      });
      return manager.findOneByOrFail(UserEntity, { id: created.id });
    }
    const existing = await manager.findOneOrFail(UserEntity, {
      where: { issuer: claims.issuer, subject: claims.subject },
      lock: { mode: 'pessimistic_write' },
    });
    if (!sameRoles(existing.roles, claims.roles)) {
      await this.audit.append(manager, {
        action: 'user.roles_changed',
        subjectType: 'user',
        subjectId: existing.id,
        actorId: existing.id,
        details: { from: [...existing.roles].sort(), to: [...claims.roles].sort() },
      });
    }
    existing.roles = claims.roles;
    existing.displayName = claims.name;
    // A token without the claim says nothing about the address: the one seen last stays.
    if (claims.email) existing.email = claims.email;
    existing.lastSeenAt = now;
    await manager.save(existing);
    return existing;
  }
}
