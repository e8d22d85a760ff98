import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { NotFoundError, Outbox, type DomainEventType } from '@tre/core';
import { today } from '../domain/application';
import { ENDED_STATUSES, nextStatus, PAST_TENSE, type ProjectAction } from '../domain/project-status';
import { ProjectEntity } from '../entities/project.entity';
import { ProjectMemberEntity } from '../entities/project-member.entity';
import { assertLead, assertNotMember } from './project-access';
import { projectVisibleSql } from './project-visibility';

/**
 * Transitions that announce themselves to the rest of the service: after approval to extracts and workspaces,
 * and submissions and the committee's decisions to notifications (approval announces itself in ReviewService,
 * with its approval's id).
 */
const ANNOUNCED: Partial<Record<ProjectAction, DomainEventType>> = {
  submit: 'project.submitted',
  reject: 'project.rejected',
  return: 'project.returned',
  suspend: 'project.suspended',
  resume: 'project.resumed',
  revoke: 'project.revoked',
  expire: 'project.expired',
  close: 'project.closed',
};

/**
 * Every change of a project's status goes through `transition`: the transition table decides, the row is
 * locked for the whole transaction, and the audit event (and domain event) commit with the change.
 */
@Injectable()
export class ProjectLifecycle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
  ) {}

  /** Loads and locks a project for a change; callers who cannot see it are told it does not exist. */
  async lockProject(
    manager: EntityManager,
    projectId: string,
    user?: AuthenticatedUser,
  ): Promise<ProjectEntity> {
    return this.findProject(manager, projectId, user, true);
  }

  /** Loads a project for reading, with the same visibility rule and no lock. */
  async loadVisible(
    manager: EntityManager,
    projectId: string,
    user: AuthenticatedUser,
  ): Promise<ProjectEntity> {
    return this.findProject(manager, projectId, user, false);
  }

  /** The visibility rule is the listings' own condition (`projectVisibleSql`), applied in the same query. */
  private async findProject(
    manager: EntityManager,
    projectId: string,
    user: AuthenticatedUser | undefined,
    lock: boolean,
  ): Promise<ProjectEntity> {
    const qb = manager.createQueryBuilder(ProjectEntity, 'p').where('p.id = :projectId', { projectId });
    if (user) {
      const visible = projectVisibleSql('p', user);
      qb.andWhere(visible.sql, visible.params);
    }
    if (lock) qb.setLock('pessimistic_write');
    const project = await qb.getOne();
    if (!project) throw new NotFoundError('Project', projectId);
    return project;
  }

  membersOf(manager: EntityManager, projectId: string): Promise<ProjectMemberEntity[]> {
    return manager.find(ProjectMemberEntity, {
      where: { projectId },
      order: { role: 'ASC', subject: 'ASC' },
    });
  }

  async transition(
    manager: EntityManager,
    project: ProjectEntity,
    action: ProjectAction,
    details: Record<string, unknown> = {},
    actorId?: string,
  ): Promise<void> {
    const from = project.status;
    project.status = nextStatus(from, action);
    // The end starts the retention clock (extracts and outputs are deleted a set time after it).
    const ended = ENDED_STATUSES.includes(project.status);
    await manager.update(
      ProjectEntity,
      { id: project.id },
      ended ? { status: project.status, endedAt: () => 'now()' } : { status: project.status },
    );
    await this.audit.append(manager, {
      action: `project.${PAST_TENSE[action]}`,
      subjectType: 'project',
      subjectId: project.id,
      actorId,
      details: { from, to: project.status, ...details },
    });
    const event = ANNOUNCED[action];
    if (event)
      await this.outbox.record(
        manager,
        event,
        { type: 'project', id: project.id },
        { projectId: project.id },
      );
  }

  /** Suspend, resume or revoke: admins and DAC members who are not on the project, with a reason. */
  async govern(
    user: AuthenticatedUser,
    projectId: string,
    action: 'suspend' | 'resume' | 'revoke',
    reason: string,
  ) {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lockProject(manager, projectId, user);
      assertNotMember(await this.membersOf(manager, projectId), user, action);
      await this.transition(manager, project, action, { reason });
    });
  }

  /** Closing at the end of the work: the lead or an admin. */
  async close(user: AuthenticatedUser, projectId: string, reason: string) {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lockProject(manager, projectId, user);
      if (!user.roles.includes('admin')) assertLead(project, user, 'close');
      await this.transition(manager, project, 'close', { reason });
    });
  }

  /**
   * Expires every approved or suspended project whose end date has passed. Each in its own transaction, so
   * one failure does not hold back the rest; re-running finds nothing left to do.
   */
  async expireDue(now: Date = new Date()): Promise<string[]> {
    const due = await this.dataSource.getRepository(ProjectEntity).find({
      select: { id: true },
      where: { status: In(['approved', 'suspended']), endDate: LessThan(today(now)) },
    });
    const expired: string[] = [];
    for (const { id } of due) {
      const done = await this.dataSource.transaction(async (manager) => {
        const project = await this.lockProject(manager, id);
        if (
          !['approved', 'suspended'].includes(project.status) ||
          !project.endDate ||
          project.endDate >= today(now)
        )
          return false;
        await this.transition(manager, project, 'expire', { endDate: project.endDate }, SYSTEM_ACTOR.worker);
        return true;
      });
      if (done) expired.push(id);
    }
    return expired;
  }
}
