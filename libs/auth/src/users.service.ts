import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import { UserEntity } from './user.entity';
import type { AuthenticatedUser, VerifiedClaims } from './authenticated-user';

/** How long a user seen with unchanged claims is served from memory before their last sighting is written again. */
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
 *
 * A user seen again with the same claims once FRESH_FOR_MS have passed changes nothing but the time of their
 * last sighting: that is written off the request's path, for every such user of one turn of the event loop in
 * one statement. Written in the request (a transaction, a row lock and a commit each), the callers first seen
 * together all came due together a minute later, and their requests, with every other that needed a pooled
 * connection meanwhile, queued behind a hundred commits: the worst tail of the API under load.
 */
@Injectable()
export class UsersService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(UsersService.name);
  private readonly cache = new Map<string, CachedUser>();
  /** Users seen again since the last write of sightings: id -> their cache key. */
  private readonly sightings = new Map<string, string>();
  private sightingsWrite: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async upsertFromClaims(claims: VerifiedClaims): Promise<AuthenticatedUser> {
    const key = `${claims.issuer}\u0000${claims.subject}`;
    const claimsKey = `${claims.name}\u0000${claims.email ?? ''}\u0000${[...claims.roles].sort().join(',')}`;
    const cached = this.cache.get(key);
    if (cached && cached.claimsKey === claimsKey) {
      if (Date.now() - cached.at >= FRESH_FOR_MS) this.sighted(key, cached);
      return cached.user;
    }

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

  /** Settled once every sighting noted so far has been written (or given up). */
  async sightingsWritten(): Promise<void> {
    while (this.sightingsWrite) await this.sightingsWrite;
  }

  /** The last sightings are written before the database connections close. */
  beforeApplicationShutdown(): Promise<void> {
    return this.sightingsWritten();
  }

  /** Notes a sighting to write at the end of this turn of the event loop, with any others made in it. */
  private sighted(key: string, cached: CachedUser): void {
    this.cache.set(key, { ...cached, at: Date.now() });
    this.sightings.set(cached.user.id, key);
    this.sightingsWrite ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.writeSightings())
      .finally(() => (this.sightingsWrite = undefined));
  }

  /**
   * One UPDATE for the sightings noted. A user whose row is gone (erased meanwhile), or whose sighting could
   * not be written, is dropped from memory: their next request upserts them in full, as a first sighting would.
   */
  private async writeSightings(): Promise<void> {
    const batch = new Map(this.sightings);
    this.sightings.clear();
    try {
      const result = await this.dataSource
        .createQueryBuilder()
        .update(UserEntity)
        .set({ lastSeenAt: () => 'now()' })
        .whereInIds([...batch.keys()])
        .returning('id')
        .execute();
      const written = new Set((result.raw as { id: string }[]).map((row) => row.id));
      for (const [id, key] of batch) if (!written.has(id)) this.cache.delete(key);
    } catch (error: unknown) {
      for (const key of batch.values()) this.cache.delete(key);
      this.logger.warn(`last sightings of ${batch.size} users not written: ${String(error)}`);
    }
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
