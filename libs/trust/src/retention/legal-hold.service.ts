import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { APP_CONFIG, ConflictError, NotFoundError, type AppConfig } from '@tre/core';
import { ProjectEntity, REGISTER_STATUSES } from '@tre/projects';
import { dayOf } from '../domain/csv';
import { RETENTION_ACTIONS, type RetentionKind } from './retention-actions';
import { dueAt, retentionDaysOf } from './retention-settings';

export interface RetentionStatus {
  readonly projectId: string;
  readonly status: string;
  readonly endedAt: string | null;
  readonly legalHold: {
    readonly reason: string;
    readonly placedAt: string;
    readonly placedBy: string;
  } | null;
  /** Per kind: when it falls due (null while the project runs), and when it was deleted (null: not yet). */
  readonly kinds: {
    readonly kind: RetentionKind;
    readonly retentionDays: number;
    readonly dueOn: string | null;
    readonly deletedAt: string | null;
  }[];
}

/**
 * An admin's legal hold on a project: while it stands, retention deletes nothing of the project (the sweep
 * re-reads the hold under the project's row lock, so a hold placed during a sweep stops what has not begun).
 * Placing and lifting are audited with the reason; placing twice or lifting what is not there is a 409.
 */
@Injectable()
export class LegalHoldService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async place(user: AuthenticatedUser, projectId: string, reason: string): Promise<RetentionStatus> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lock(manager, projectId);
      if (!REGISTER_STATUSES.includes(project.status))
        throw new ConflictError(
          `The project is ${project.status}: it was never approved, so holds no data to keep`,
        );
      if (project.legalHoldReason)
        throw new ConflictError(
          `A legal hold has stood on this project since ${project.legalHoldPlacedAt!.toISOString()}: lift it before placing another`,
        );
      await manager.update(
        ProjectEntity,
        { id: projectId },
        { legalHoldReason: reason, legalHoldPlacedAt: () => 'now()', legalHoldPlacedBy: user.id },
      );
      await this.audit.append(manager, {
        action: 'project.legal_hold_placed',
        subjectType: 'project',
        subjectId: projectId,
        details: { reason, status: project.status },
      });
    });
    return this.status(projectId);
  }

  async lift(_user: AuthenticatedUser, projectId: string, reason: string): Promise<RetentionStatus> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lock(manager, projectId);
      if (!project.legalHoldReason) throw new ConflictError('There is no legal hold on this project to lift');
      await manager.update(
        ProjectEntity,
        { id: projectId },
        { legalHoldReason: null, legalHoldPlacedAt: null, legalHoldPlacedBy: null },
      );
      await this.audit.append(manager, {
        action: 'project.legal_hold_lifted',
        subjectType: 'project',
        subjectId: projectId,
        details: { reason, heldSince: project.legalHoldPlacedAt!.toISOString() },
      });
    });
    return this.status(projectId);
  }

  /** Where a project stands with retention: its hold, and per kind of data when it falls due and was deleted. */
  async status(projectId: string): Promise<RetentionStatus> {
    const project = await this.dataSource.getRepository(ProjectEntity).findOneBy({ id: projectId });
    if (!project) throw new NotFoundError('Project', projectId);
    const days = retentionDaysOf(this.config);
    const deletions: { action: string; at: Date }[] = await this.dataSource.query(
      `SELECT action, max(occurred_at) AS at FROM audit_events
        WHERE subject_type = 'project' AND subject_id = $1 AND action = ANY($2::text[]) GROUP BY action`,
      [projectId, Object.values(RETENTION_ACTIONS)],
    );
    return {
      projectId,
      status: project.status,
      endedAt: project.endedAt?.toISOString() ?? null,
      legalHold: project.legalHoldReason
        ? {
            reason: project.legalHoldReason,
            placedAt: project.legalHoldPlacedAt!.toISOString(),
            placedBy: project.legalHoldPlacedBy ?? '',
          }
        : null,
      kinds: (Object.keys(RETENTION_ACTIONS) as RetentionKind[]).map((kind) => ({
        kind,
        retentionDays: days[kind],
        dueOn: project.endedAt ? dayOf(dueAt(project.endedAt, days[kind])) : null,
        deletedAt: deletions.find((d) => d.action === RETENTION_ACTIONS[kind])?.at.toISOString() ?? null,
      })),
    };
  }

  private async lock(manager: EntityManager, projectId: string): Promise<ProjectEntity> {
    const project = await manager.findOne(ProjectEntity, {
      where: { id: projectId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!project) throw new NotFoundError('Project', projectId);
    return project;
  }
}
