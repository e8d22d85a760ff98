import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, NotFoundError, ValidationError } from '@tre/core';
import { OutputCommentEntity } from '../entities/output-comment.entity';
import { OutputFileEntity } from '../entities/output-file.entity';
import { assertChecker, isProjectMember } from './output-access';
import { OutputLifecycle } from './output-lifecycle';

export interface OutputCommentView {
  readonly id: string;
  readonly round: number;
  readonly authorId: string;
  readonly fileId: string | null;
  readonly body: string;
  readonly createdAt: string;
}

export interface OutputCommentThread {
  /** True while some comments are hidden from this caller (a round in review, for anyone not its checker). */
  readonly private: boolean;
  readonly comments: OutputCommentView[];
}

/**
 * The checkers' thread on a request. Checkers who are not on the project read and write it while the request
 * is in review; everyone else who may see the request reads a round's comments once that round is decided
 * (the same moment the round's reviews open to them), never before.
 */
@Injectable()
export class OutputCommentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: OutputLifecycle,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, requestId: string): Promise<OutputCommentThread> {
    const manager = this.dataSource.manager;
    const { request, project } = await this.lifecycle.load(manager, requestId, user);
    const checker = user.roles.includes('output_checker') && !isProjectMember(project, user);
    const qb = manager
      .createQueryBuilder(OutputCommentEntity, 'c')
      .where('c.request_id = :requestId', { requestId })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC');
    // The round in review stays private among its checkers; earlier rounds were decided.
    const hidesCurrent = !checker && request.status === 'in_review';
    if (hidesCurrent) qb.andWhere('c.round <> :round', { round: request.round });
    const rows = await qb.getMany();
    return {
      private: hidesCurrent,
      comments: rows.map((c) => ({
        id: c.id,
        round: c.round,
        authorId: c.authorId,
        fileId: c.fileId,
        body: c.body,
        createdAt: c.createdAt.toISOString(),
      })),
    };
  }

  async add(
    user: AuthenticatedUser,
    requestId: string,
    input: { body: string; fileId?: string },
  ): Promise<OutputCommentView> {
    const body = input.body.trim();
    if (!body) throw new ValidationError('A comment needs some text', { body: ['must not be blank'] });
    return this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.load(manager, requestId, user);
      assertChecker(project, user, 'comment on');
      if (request.status !== 'in_review')
        throw new ConflictError(
          `The request is ${request.status}: checkers comment only while it is in review`,
        );
      if (input.fileId) {
        const file = await manager.findOneBy(OutputFileEntity, { id: input.fileId, requestId });
        if (!file) throw new NotFoundError('Output file', input.fileId);
      }
      const saved = await manager.save(
        manager.create(OutputCommentEntity, {
          requestId,
          round: request.round,
          authorId: user.id,
          fileId: input.fileId ?? null,
          body,
        }),
      );
      // The body stays out of the audit trail: it is the checkers' note, not an event's detail.
      await this.audit.append(manager, {
        action: 'output.commented',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { round: request.round, commentId: saved.id },
      });
      return {
        id: saved.id,
        round: saved.round,
        authorId: saved.authorId,
        fileId: saved.fileId,
        body: saved.body,
        createdAt: saved.createdAt.toISOString(),
      };
    });
  }
}
