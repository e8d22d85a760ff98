import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, IllegalTransitionError, ValidationError } from '@tre/core';
import {
  commentRequired,
  decideFile,
  decideRequest,
  type FileVerdict,
  type OutputVote,
} from '../domain/review-decision';
import { OutputFileEntity } from '../entities/output-file.entity';
import type { OutputRequestEntity } from '../entities/output-request.entity';
import { OutputReviewEntity } from '../entities/output-review.entity';
import { assertChecker } from './output-access';
import { OUTPUTS_SETTINGS, type OutputsSettings } from './outputs-config';
import { OutputLifecycle } from './output-lifecycle';
import { OutputReleaseService } from './output-release.service';

export interface FileVoteInput {
  readonly fileId: string;
  readonly vote: OutputVote;
  readonly comment?: string;
}

export interface ReviewOutcome {
  readonly outcome: 'pending' | 'approve' | 'reject' | 'return';
  readonly status: string;
  readonly reviews: number;
  readonly reviewsRequired: number;
}

/**
 * Output checkers' side: one review per checker per round, a vote on every file, blind until enough are in;
 * then the files and the request are decided, and an approved request is released at once.
 */
@Injectable()
export class OutputReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly lifecycle: OutputLifecycle,
    private readonly audit: AuditService,
    private readonly releases: OutputReleaseService,
  ) {}

  async review(
    user: AuthenticatedUser,
    requestId: string,
    votes: readonly FileVoteInput[],
  ): Promise<ReviewOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.lock(manager, requestId, user);
      assertChecker(project, user, 'review');
      if (request.status !== 'in_review')
        throw new IllegalTransitionError(
          'output request',
          request.status,
          'review',
          'only a request in review can be voted on',
        );
      if (await manager.existsBy(OutputReviewEntity, { requestId, round: request.round, checkerId: user.id }))
        throw new ConflictError(`You have already reviewed round ${request.round} of this request`);
      const files = await manager.find(OutputFileEntity, {
        where: { requestId },
        order: { fileName: 'ASC' },
      });
      validateVotes(files, votes);
      await manager.insert(
        OutputReviewEntity,
        votes.map((v) => ({
          requestId,
          fileId: v.fileId,
          checkerId: user.id,
          round: request.round,
          vote: v.vote,
          comment: v.comment?.trim() ?? '',
        })),
      );
      const tally = Object.fromEntries(
        (['approve', 'request_changes', 'reject'] as const).map((k) => [
          k,
          votes.filter((v) => v.vote === k).length,
        ]),
      );
      await this.audit.append(manager, {
        action: 'output.reviewed',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { round: request.round, votes: tally },
      });
      return this.decide(manager, request, files);
    });
  }

  private async decide(
    manager: EntityManager,
    request: OutputRequestEntity,
    files: OutputFileEntity[],
  ): Promise<ReviewOutcome> {
    const reviews = await manager.find(OutputReviewEntity, {
      where: { requestId: request.id, round: request.round },
    });
    const checkers = new Set(reviews.map((r) => r.checkerId)).size;
    const required = this.settings.reviewsRequired;
    const verdicts = new Map<string, FileVerdict>(
      files.map((f) => [
        f.id,
        decideFile(
          reviews.filter((r) => r.fileId === f.id).map((r) => r.vote),
          required,
        ),
      ]),
    );
    const outcome = decideRequest([...verdicts.values()]);
    if (outcome !== 'pending') {
      for (const file of files) {
        const verdict = verdicts.get(file.id)!;
        file.decision = verdict.decision;
        file.conflicted = verdict.conflicted;
        await manager.update(
          OutputFileEntity,
          { id: file.id },
          { decision: verdict.decision, conflicted: verdict.conflicted },
        );
      }
      const conflicted = files.filter((f) => f.conflicted).map((f) => f.fileName);
      const details = { reviews: checkers, conflictedFiles: conflicted };
      if (outcome === 'approve') {
        await this.lifecycle.transition(manager, request, 'approve', details);
        await this.releases.release(manager, request, files, reviews);
      } else {
        await this.lifecycle.transition(manager, request, outcome, details);
      }
    }
    return { outcome, status: request.status, reviews: checkers, reviewsRequired: required };
  }
}

function validateVotes(files: readonly OutputFileEntity[], votes: readonly FileVoteInput[]): void {
  const problems: string[] = [];
  const byId = new Map(files.map((f) => [f.id, f]));
  const seen = new Set<string>();
  for (const v of votes) {
    const file = byId.get(v.fileId);
    if (!file) problems.push(`file ${v.fileId} is not part of this request`);
    else if (seen.has(v.fileId)) problems.push(`${file.fileName} is voted on twice`);
    else if (commentRequired(v.vote, file.checkResult?.status ?? 'manual') && !v.comment?.trim())
      problems.push(
        `${file.fileName}: a comment is required (it may be left out only when approving a file that passed every check)`,
      );
    seen.add(v.fileId);
  }
  for (const f of files) if (!seen.has(f.id)) problems.push(`${f.fileName} has no vote: vote on every file`);
  if (problems.length) throw new ValidationError(`Review refused: ${problems.join('; ')}`, { problems });
}
