import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { NotFoundError, Outbox } from '@tre/core';
import { ProjectReader, type ProjectMembership } from '@tre/projects';
import { nextOutputStatus, OUTPUT_PAST_TENSE, type OutputAction } from '../domain/output-status';
import { OutputRequestEntity } from '../entities/output-request.entity';
import { outputVisibleSql } from './output-visibility';

/**
 * Every change of a request's status goes through `transition`: the table decides, the row is locked for the
 * whole transaction, and the audit event (and the domain event of a request ready for review) commits with it.
 */
@Injectable()
export class OutputLifecycle {
  constructor(
    private readonly audit: AuditService,
    private readonly projects: ProjectReader,
    private readonly outbox: Outbox,
  ) {}

  /** Loads and locks a request; a caller who may not see it is told it does not exist. */
  async lock(
    manager: EntityManager,
    requestId: string,
    user?: AuthenticatedUser,
  ): Promise<{ request: OutputRequestEntity; project: ProjectMembership }> {
    const request = await this.find(manager, requestId, user, true);
    return { request, project: await this.projectOf(manager, request) };
  }

  async load(
    manager: EntityManager,
    requestId: string,
    user: AuthenticatedUser,
  ): Promise<{ request: OutputRequestEntity; project: ProjectMembership }> {
    const request = await this.find(manager, requestId, user, false);
    return { request, project: await this.projectOf(manager, request) };
  }

  /** The visibility rule is the listings' own condition (`outputVisibleSql`), applied in the same query. */
  private async find(
    manager: EntityManager,
    requestId: string,
    user: AuthenticatedUser | undefined,
    lock: boolean,
  ): Promise<OutputRequestEntity> {
    const qb = manager.createQueryBuilder(OutputRequestEntity, 'r').where('r.id = :requestId', { requestId });
    if (user) {
      const visible = outputVisibleSql('r', user);
      qb.andWhere(visible.sql, visible.params);
    }
    if (lock) qb.setLock('pessimistic_write');
    const request = await qb.getOne();
    if (!request) throw new NotFoundError('Output request', requestId);
    return request;
  }

  async projectOf(manager: EntityManager, request: OutputRequestEntity): Promise<ProjectMembership> {
    const project = await this.projects.membership(manager, request.projectId);
    if (!project) throw new NotFoundError('Project', request.projectId);
    return project;
  }

  async transition(
    manager: EntityManager,
    request: OutputRequestEntity,
    action: OutputAction,
    details: Record<string, unknown> = {},
    actorId?: string,
  ): Promise<void> {
    const from = request.status;
    request.status = nextOutputStatus(from, action);
    const now = new Date();
    const stamps: Partial<OutputRequestEntity> = {};
    if (action === 'submit') stamps.submittedAt = now;
    if (action === 'block' || action === 'pass_checks') stamps.checkedAt = now;
    if (action === 'approve' || action === 'reject' || action === 'return') stamps.decidedAt = now;
    Object.assign(request, stamps);
    await manager.update(
      OutputRequestEntity,
      { id: request.id },
      { status: request.status, round: request.round, checkError: request.checkError, ...stamps },
    );
    await this.audit.append(manager, {
      action: `output.${OUTPUT_PAST_TENSE[action]}`,
      subjectType: 'output_request',
      subjectId: request.id,
      actorId,
      details: { from, to: request.status, projectId: request.projectId, round: request.round, ...details },
    });
    // The checkers hear of a request once the automated checks have passed it (notifications).
    if (action === 'pass_checks')
      await this.outbox.record(
        manager,
        'output.ready_for_review',
        { type: 'output_request', id: request.id },
        { requestId: request.id, round: request.round },
      );
  }
}
