import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { ObjectStore } from '@tre/outputs';
import { RETENTION_ACTIONS, type RetentionKind } from './retention-actions';
import { retentionDaysOf, type RetentionDays } from './retention-settings';
import { removeFolder, removeIfEmpty, type Freed } from './remove-folder';

export interface RetentionDeletion {
  readonly projectId: string;
  readonly kind: RetentionKind;
  /** Extracts, files or releases deleted (rows marked). */
  readonly items: number;
  readonly files: number;
  readonly bytes: number;
}

const KINDS: readonly RetentionKind[] = ['extracts', 'unreleasedOutputs', 'releasedOutputs'];

/**
 * Which projects' data of a kind is due at $1 (the sweep's clock), with $2 the kind's retention days: ended
 * (revoked, expired or closed) that long ago, no legal hold, and something of that kind not yet deleted.
 * Extracts also wait for every workspace of the project to be torn down, since a workspace holds a copy.
 */
const DUE: Readonly<Record<RetentionKind, string>> = {
  extracts: `EXISTS (SELECT 1 FROM extracts e WHERE e.project_id = p.id AND e.deleted_at IS NULL
                       AND e.status IN ('ready', 'failed'))
             AND NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.project_id = p.id AND w.state <> 'deleted')`,
  unreleasedOutputs: `EXISTS (SELECT 1 FROM output_files f JOIN output_requests r ON r.id = f.request_id
                       WHERE r.project_id = p.id AND f.deleted_at IS NULL
                         AND NOT (r.status = 'released' AND f.decision = 'approved'))`,
  releasedOutputs: `EXISTS (SELECT 1 FROM output_releases rl WHERE rl.project_id = p.id AND rl.files_deleted_at IS NULL)`,
};
const ENDED_LONG_ENOUGH = `p.status IN ('revoked', 'expired', 'closed') AND p.ended_at IS NOT NULL
  AND p.legal_hold_reason IS NULL AND p.ended_at + make_interval(days => $2::int) <= $1`;

/**
 * Deletes what the retention settings say is due: a project's extracts (EXTRACT_RETENTION_DAYS after it
 * ended, never before its workspace is torn down), its unreleased output files (OUTPUT_RETENTION_DAYS) and
 * its released bundles (RELEASE_RETENTION_DAYS). One transaction per project and kind: the project row is
 * locked (so a legal hold placed meanwhile is seen, and waits for a deletion under way), the files are
 * removed, the rows marked and the deletion audited with its counts and bytes. Files go before the commit: a
 * failure after them leaves rows that the next sweep marks (finding the files already gone), never a row
 * marked deleted whose files remain. Rows, manifests, counts and the release ledger stay.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private readonly store: ObjectStore;
  private readonly days: RetentionDays;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.store = new ObjectStore(config.outputStoreDir);
    this.days = retentionDaysOf(config);
  }

  /** One pass over every project; `now` is the clock deletions are judged (and dated) by. */
  async sweep(now: Date = new Date()): Promise<RetentionDeletion[]> {
    const done: RetentionDeletion[] = [];
    for (const kind of KINDS) {
      const due: { id: string }[] = await this.dataSource.query(
        `SELECT p.id FROM projects p WHERE ${ENDED_LONG_ENOUGH} AND ${DUE[kind]} ORDER BY p.ended_at, p.id`,
        [now, this.days[kind]],
      );
      for (const { id } of due) {
        const deletion = await this.deleteDue(kind, id, now);
        if (deletion) done.push(deletion);
      }
    }
    if (done.length) this.logger.log({ deletions: done.length }, 'Retention deleted data that was due');
    return done;
  }

  private deleteDue(kind: RetentionKind, projectId: string, now: Date): Promise<RetentionDeletion | null> {
    return this.dataSource.transaction(async (manager) => {
      const still: { id: string; ended_at: Date }[] = await manager.query(
        `SELECT p.id, p.ended_at FROM projects p
          WHERE p.id = $3 AND ${ENDED_LONG_ENOUGH} AND ${DUE[kind]} FOR UPDATE OF p`,
        [now, this.days[kind], projectId],
      );
      if (still.length === 0) return null;
      const { items, freed } =
        kind === 'extracts'
          ? await this.deleteExtracts(manager, projectId, now)
          : kind === 'unreleasedOutputs'
            ? await this.deleteUnreleased(manager, projectId, now)
            : await this.deleteReleased(manager, projectId, now);
      await this.audit.append(manager, {
        action: RETENTION_ACTIONS[kind],
        subjectType: 'project',
        subjectId: projectId,
        actorId: SYSTEM_ACTOR.worker,
        details: {
          items,
          files: freed.files,
          bytes: freed.bytes,
          retentionDays: this.days[kind],
          endedAt: still[0].ended_at.toISOString(),
        },
      });
      return { projectId, kind, items, ...freed };
    });
  }

  private async deleteExtracts(manager: EntityManager, projectId: string, now: Date) {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM extracts WHERE project_id = $1 AND deleted_at IS NULL AND status IN ('ready', 'failed')
        ORDER BY id FOR UPDATE`,
      [projectId],
    );
    const freed: Freed = { files: 0, bytes: 0 };
    for (const { id } of rows) {
      const folder = await removeFolder(join(this.config.extractStoreDir, projectId, id));
      freed.files += folder.files;
      freed.bytes += folder.bytes;
    }
    await removeIfEmpty(join(this.config.extractStoreDir, projectId));
    await manager.query(`UPDATE extracts SET deleted_at = $2 WHERE id = ANY($1::uuid[])`, [
      rows.map((r) => r.id),
      now,
    ]);
    return { items: rows.length, freed };
  }

  /** Output files never released (or refused in a release), and their collected records. */
  private async deleteUnreleased(manager: EntityManager, projectId: string, now: Date) {
    const rows: { id: string; sha256: string; record_sha256: string | null }[] = await manager.query(
      `SELECT f.id, f.sha256, f.provenance ->> 'recordSha256' AS record_sha256
         FROM output_files f JOIN output_requests r ON r.id = f.request_id
        WHERE r.project_id = $1 AND f.deleted_at IS NULL
          AND NOT (r.status = 'released' AND f.decision = 'approved')
        ORDER BY f.id FOR UPDATE OF f`,
      [projectId],
    );
    // The disclosure-control record of an unreleased file is part of that output: it goes too.
    await manager.query(`UPDATE output_files SET deleted_at = $2, record = NULL WHERE id = ANY($1::uuid[])`, [
      rows.map((r) => r.id),
      now,
    ]);
    const freed = await this.removeUnreferenced(
      manager,
      rows.flatMap((r) => [r.sha256, r.record_sha256]),
    );
    return { items: rows.length, freed };
  }

  /** Released bundles: their files, their records and the manifest; the release row and ledger stay. */
  private async deleteReleased(manager: EntityManager, projectId: string, now: Date) {
    const releases: { id: string; request_id: string; bundle_sha256: string }[] = await manager.query(
      `SELECT id, request_id, bundle_sha256 FROM output_releases
        WHERE project_id = $1 AND files_deleted_at IS NULL ORDER BY id FOR UPDATE`,
      [projectId],
    );
    const files: { id: string; sha256: string; record_sha256: string | null }[] = await manager.query(
      `SELECT id, sha256, provenance ->> 'recordSha256' AS record_sha256 FROM output_files
        WHERE request_id = ANY($1::uuid[]) AND decision = 'approved' AND deleted_at IS NULL
        ORDER BY id FOR UPDATE`,
      [releases.map((r) => r.request_id)],
    );
    await manager.query(`UPDATE output_files SET deleted_at = $2 WHERE id = ANY($1::uuid[])`, [
      files.map((f) => f.id),
      now,
    ]);
    await manager.query(`UPDATE output_releases SET files_deleted_at = $2 WHERE id = ANY($1::uuid[])`, [
      releases.map((r) => r.id),
      now,
    ]);
    const freed = await this.removeUnreferenced(manager, [
      ...files.flatMap((f) => [f.sha256, f.record_sha256]),
      ...releases.map((r) => r.bundle_sha256),
    ]);
    return { items: releases.length, freed };
  }

  /**
   * Removes stored objects no live row still holds. The store keeps identical bytes once, so the same
   * SHA-256 may belong to another request (or project) whose retention has not come: those stay.
   */
  private async removeUnreferenced(manager: EntityManager, shas: (string | null)[]): Promise<Freed> {
    const freed: Freed = { files: 0, bytes: 0 };
    for (const sha of new Set(shas.filter((s): s is string => typeof s === 'string' && s.length === 64))) {
      const [held]: unknown[] = await manager.query(
        `SELECT 1 FROM output_files
          WHERE deleted_at IS NULL AND (sha256 = $1 OR provenance ->> 'recordSha256' = $1)
         UNION ALL
         SELECT 1 FROM output_releases WHERE files_deleted_at IS NULL AND bundle_sha256 = $1
         LIMIT 1`,
        [sha],
      );
      if (held) continue;
      const bytes = await this.store.remove(sha);
      // Already gone (an earlier attempt removed it before failing): nothing freed now.
      if (bytes > 0) {
        freed.files += 1;
        freed.bytes += bytes;
      }
    }
    return freed;
  }
}
