import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, DomainError, IllegalTransitionError, Outbox, ValidationError } from '@tre/core';
import { AccreditationRegister } from '../accreditation/accreditation-register';
import { accreditationStanding } from '../accreditation/accreditation-standing';
import { today } from '../domain/application';
import { combineApprovals, narrowingProblems, type ApprovingVoteTerms } from '../domain/approval-terms';
import { WORKSPACE_CHOICE_POLICY, type WorkspaceChoicePolicy } from '../domain/workspace-choice';
import { decideReview, type ReviewPolicy, type VoteDecision } from '../domain/review-policy';
import { ConflictDeclarationEntity } from '../entities/conflict-declaration.entity';
import { DacVoteEntity } from '../entities/dac-vote.entity';
import { DatasetRequestEntity } from '../entities/dataset-request.entity';
import { ProjectApprovalEntity } from '../entities/project-approval.entity';
import { ProjectEntity } from '../entities/project.entity';
import { assertNotMember } from './project-access';
import { ProjectLifecycle } from './project-lifecycle';
import { BLIND_STATUSES, voteOpenSql } from './project-visibility';

export const REVIEW_POLICY = Symbol('REVIEW_POLICY');

export interface VoteInput extends ApprovingVoteTerms {
  readonly decision: VoteDecision;
  readonly comment: string;
}

export interface VoteView {
  readonly reviewerId: string;
  readonly applicationVersion: number;
  readonly decision: VoteDecision;
  readonly comment: string;
  readonly conditions: string[];
  readonly fields: Record<string, string[]> | null;
  readonly endDate: string | null;
  readonly castAt: string;
}

/** The data access committee's side: conflicts of interest, blind votes, and the decision they lead to. */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REVIEW_POLICY) private readonly policy: ReviewPolicy,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly lifecycle: ProjectLifecycle,
    @Inject(WORKSPACE_CHOICE_POLICY) private readonly workspaceChoices: WorkspaceChoicePolicy,
    private readonly register: AccreditationRegister,
  ) {}

  async declareConflict(user: AuthenticatedUser, projectId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const project = await this.lifecycle.lockProject(manager, projectId, user);
      if (await manager.existsBy(ConflictDeclarationEntity, { projectId, reviewerId: user.id })) {
        throw new ConflictError('You have already declared a conflict of interest on this project');
      }
      await manager.insert(ConflictDeclarationEntity, { projectId, reviewerId: user.id, reason });
      await this.audit.append(manager, {
        action: 'project.conflict_declared',
        subjectType: 'project',
        subjectId: project.id,
        details: { applicationVersion: project.applicationVersion },
      });
    });
  }

  async vote(
    user: AuthenticatedUser,
    projectId: string,
    input: VoteInput,
  ): Promise<{ outcome: string; status: string }> {
    return this.dataSource.transaction(async (manager) => {
      const project = await this.lifecycle.lockProject(manager, projectId, user);
      const members = await this.lifecycle.membersOf(manager, projectId);
      assertNotMember(members, user, 'vote on');
      if (await manager.existsBy(ConflictDeclarationEntity, { projectId, reviewerId: user.id })) {
        throw new DomainError(
          'separation_of_duties',
          'You declared a conflict of interest on this project, so you cannot vote on it',
        );
      }
      if (!BLIND_STATUSES.includes(project.status))
        throw new IllegalTransitionError('project', project.status, 'vote on');
      const version = project.applicationVersion;
      if (
        await manager.existsBy(DacVoteEntity, { projectId, applicationVersion: version, reviewerId: user.id })
      ) {
        throw new ConflictError(`You have already voted on version ${version} of this application`);
      }
      const requests = await manager.find(DatasetRequestEntity, { where: { projectId } });
      const requested = requests.map((r) => ({
        datasetId: r.datasetId,
        code: r.datasetCode,
        fields: r.fields,
        legalBasis: r.legalBasis,
      }));
      if (input.decision === 'approve') {
        const problems = narrowingProblems(requested, project.requestedEndDate, input);
        if (input.endDate && input.endDate <= today())
          problems.push(`end date ${input.endDate} is not in the future`);
        if (problems.length)
          throw new ValidationError(`An approval can only narrow the request: ${problems.join('; ')}`, {
            problems,
          });
        // The register decides for each person it has a record of; the declared expiry for the others.
        const records = await this.register.recordsOf(
          members.map((m) => m.subject),
          manager,
        );
        const lapsed = members
          .map((m) => ({
            subject: m.subject,
            ...accreditationStanding(m.accreditationExpiresOn, records.get(m.subject), today()),
          }))
          .filter((m) => m.lapsed);
        if (lapsed.length) {
          throw new ConflictError(
            `Cannot approve while members' accreditation has lapsed: ${lapsed.map((m) => `${m.subject} (${m.source === 'register' ? 'register, ' : ''}${m.expiresOn})`).join(', ')}`,
            { lapsed: lapsed.map((m) => m.subject) },
          );
        }
      }
      if (project.status === 'submitted') await this.lifecycle.transition(manager, project, 'start_review');
      await manager.insert(DacVoteEntity, {
        projectId,
        applicationVersion: version,
        reviewerId: user.id,
        decision: input.decision,
        comment: input.comment,
        conditions: input.decision === 'approve' ? [...(input.conditions ?? [])] : [],
        fields:
          input.decision === 'approve'
            ? ((input.fields as Record<string, string[]> | undefined) ?? null)
            : null,
        endDate: input.decision === 'approve' ? (input.endDate ?? null) : null,
      });
      await this.audit.append(manager, {
        action: 'project.vote_cast',
        subjectType: 'project',
        subjectId: projectId,
        details: { applicationVersion: version, decision: input.decision },
      });
      return this.decide(manager, project, requested);
    });
  }

  private async decide(
    manager: EntityManager,
    project: ProjectEntity,
    requested: Parameters<typeof combineApprovals>[0],
  ): Promise<{ outcome: string; status: string }> {
    const votes = await manager.find(DacVoteEntity, {
      where: { projectId: project.id, applicationVersion: project.applicationVersion },
      order: { createdAt: 'ASC' },
    });
    const outcome = decideReview(
      votes.map((v) => v.decision),
      this.policy,
    );
    if (outcome === 'approve') {
      const approving = votes.filter((v) => v.decision === 'approve');
      const terms = combineApprovals(
        requested,
        project.requestedEndDate,
        approving.map((v) => ({
          fields: v.fields ?? undefined,
          endDate: v.endDate ?? undefined,
          conditions: v.conditions,
        })),
      );
      const approvalVersion = (await manager.countBy(ProjectApprovalEntity, { projectId: project.id })) + 1;
      const approval = await manager.save(
        manager.create(ProjectApprovalEntity, {
          projectId: project.id,
          approvalVersion,
          applicationVersion: project.applicationVersion,
          ...terms,
          approverIds: approving.map((v) => v.reviewerId),
          // The approval fixes the workspace: what was asked, defaults filled in, checked again now.
          workspace: { ...this.workspaceChoices.resolve(project.workspaceChoice) },
          approvedAt: new Date(),
        }),
      );
      await manager.update(
        ProjectEntity,
        { id: project.id },
        { endDate: terms.endDate, approvedAt: approval.approvedAt },
      );
      await this.lifecycle.transition(manager, project, 'approve', {
        approvalId: approval.id,
        approvalVersion,
        endDate: terms.endDate,
        datasets: terms.datasets.map((d) => d.code),
        workspace: approval.workspace,
      });
      await this.outbox.record(
        manager,
        'project.approved',
        { type: 'project', id: project.id },
        { projectId: project.id, approvalId: approval.id },
      );
    } else if (outcome === 'reject') {
      await this.lifecycle.transition(manager, project, 'reject');
    } else if (outcome === 'return') {
      await this.lifecycle.transition(manager, project, 'return');
    }
    return { outcome, status: project.status };
  }

  /**
   * Votes stay blind until the decision: a reviewer sees only their own, the applicants none. The rule is
   * `voteOpenSql`, the same condition that keeps vote events out of the audit views.
   */
  /**
   * One page of the votes the user may see, by application version then time cast, the id breaking ties. The
   * blind-vote rule is in the query, so the total never counts a vote the page would withhold.
   */
  async votes(
    user: AuthenticatedUser,
    projectId: string,
    paging: { page: number; pageSize: number },
  ): Promise<{ blind: boolean; items: VoteView[]; total: number; page: number; pageSize: number }> {
    const manager = this.dataSource.manager;
    const project = await this.lifecycle.loadVisible(manager, projectId, user);
    const blind = BLIND_STATUSES.includes(project.status);
    const open = voteOpenSql('p', 'v.reviewer_id', user);
    const [visible, total] = await manager
      .createQueryBuilder(DacVoteEntity, 'v')
      .innerJoin(ProjectEntity, 'p', 'p.id = v.project_id')
      .where('v.project_id = :projectId', { projectId })
      .andWhere(open.sql, open.params)
      .orderBy('v.applicationVersion', 'ASC')
      .addOrderBy('v.createdAt', 'ASC')
      .addOrderBy('v.id', 'ASC')
      .offset((paging.page - 1) * paging.pageSize)
      .limit(paging.pageSize)
      .getManyAndCount();
    return {
      blind,
      total,
      ...paging,
      items: visible.map((v) => ({
        reviewerId: v.reviewerId,
        applicationVersion: v.applicationVersion,
        decision: v.decision,
        comment: v.comment,
        conditions: v.conditions,
        fields: v.fields,
        endDate: v.endDate,
        castAt: v.createdAt.toISOString(),
      })),
    };
  }
}
