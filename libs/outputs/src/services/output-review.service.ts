import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, IllegalTransitionError, Outbox, ValidationError } from '@tre/core';
import {
  commentRequired,
  decideFile,
  decideRequest,
  OUTPUT_VOTES,
  type FileVerdict,
  type OutputVote,
  type RequestOutcome,
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
  readonly outcome: RequestOutcome;
  readonly status: string;
  readonly reviews: number;
  readonly reviewsRequired: number;
  /** Files the checkers disagree on: the request is held in review until they agree. */
  readonly conflictedFiles: string[];
}

interface RoundState {
  readonly reviews: OutputReviewEntity[];
  readonly checkers: number;
  readonly verdicts: Map<string, FileVerdict>;
  readonly outcome: RequestOutcome;
}

const tally = (votes: readonly { vote: OutputVote }[]): Record<OutputVote, number> =>
  Object.fromEntries(OUTPUT_VOTES.map((k) => [k, votes.filter((v) => v.vote === k).length])) as Record<
    OutputVote,
    number
  >;

/**
 * Output checkers' side: one review per checker per round, a vote on every file, blind until enough are in;
 * then the files and the request are decided, and an approved request is released at once. Checkers who
 * disagree hold the request in review, conflicted, until every vote on each file agrees: a checker of the
 * round revises their review, or another checker adds one.
 */
@Injectable()
export class OutputReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly lifecycle: OutputLifecycle,
    private readonly audit: AuditService,
    private readonly releases: OutputReleaseService,
    private readonly outbox: Outbox,
  ) {}

  /** The rule set in force, as audit details carry it (no key may be called `name`: audit refuses those). */
  private rulesJudged(): { rules: string; rulesSha256: string } {
    const id = this.settings.rulesIdentity;
    return { rules: `${id.name} ${id.version}`, rulesSha256: id.sha256 };
  }

  async review(
    user: AuthenticatedUser,
    requestId: string,
    votes: readonly FileVoteInput[],
  ): Promise<ReviewOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const { request, files } = await this.lockInReview(manager, requestId, user, 'review');
      if (await manager.existsBy(OutputReviewEntity, { requestId, round: request.round, checkerId: user.id }))
        throw new ConflictError(`You have already reviewed round ${request.round} of this request`);
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
      await this.audit.append(manager, {
        action: 'output.reviewed',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { round: request.round, votes: tally(votes), ...this.rulesJudged() },
      });
      return this.decide(manager, request, files);
    });
  }

  /**
   * A checker of this round changes their votes (and comments), only while the request is held because
   * the checkers disagree; the audit keeps the old and the new votes. Then the round is decided again.
   */
  async revise(
    user: AuthenticatedUser,
    requestId: string,
    votes: readonly FileVoteInput[],
  ): Promise<ReviewOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const { request, files } = await this.lockInReview(manager, requestId, user, 'revise a review of');
      const mine = await manager.findBy(OutputReviewEntity, {
        requestId,
        round: request.round,
        checkerId: user.id,
      });
      if (mine.length === 0)
        throw new ConflictError(
          `You have not reviewed round ${request.round} of this request, so there is nothing of yours to revise`,
        );
      const state = await this.roundState(manager, request, files);
      if (state.outcome !== 'conflicted')
        throw new ConflictError(
          'A review can be revised only while the checkers disagree and the request is held as conflicted',
        );
      validateVotes(files, votes);
      const old = new Map(mine.map((r) => [r.fileId, r]));
      const changes = [];
      for (const v of votes) {
        const before = old.get(v.fileId)!;
        await manager.update(
          OutputReviewEntity,
          { id: before.id },
          { vote: v.vote, comment: v.comment?.trim() ?? '' },
        );
        changes.push({ fileId: v.fileId, from: before.vote, to: v.vote });
      }
      await this.audit.append(manager, {
        action: 'output.review_revised',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { round: request.round, changes, ...this.rulesJudged() },
      });
      return this.decide(manager, request, files);
    });
  }

  private async lockInReview(
    manager: EntityManager,
    requestId: string,
    user: AuthenticatedUser,
    action: string,
  ): Promise<{ request: OutputRequestEntity; files: OutputFileEntity[] }> {
    const { request, project } = await this.lifecycle.lock(manager, requestId, user);
    assertChecker(project, user, action);
    if (request.status !== 'in_review')
      throw new IllegalTransitionError(
        'output request',
        request.status,
        action.replace(/ of$/, ''),
        'only a request in review can be voted on',
      );
    const files = await manager.find(OutputFileEntity, { where: { requestId }, order: { fileName: 'ASC' } });
    return { request, files };
  }

  private async roundState(
    manager: EntityManager,
    request: OutputRequestEntity,
    files: readonly OutputFileEntity[],
  ): Promise<RoundState> {
    const reviews = await manager.find(OutputReviewEntity, {
      where: { requestId: request.id, round: request.round },
    });
    const required = this.settings.reviewsRequired;
    // Each checker votes on every file, so a file's votes are counted against the required number directly.
    const verdicts = new Map<string, FileVerdict>(
      files.map((f) => [
        f.id,
        decideFile(
          reviews.filter((r) => r.fileId === f.id).map((r) => r.vote),
          required,
        ),
      ]),
    );
    return {
      reviews,
      checkers: new Set(reviews.map((r) => r.checkerId)).size,
      verdicts,
      outcome: decideRequest([...verdicts.values()]),
    };
  }

  private async decide(
    manager: EntityManager,
    request: OutputRequestEntity,
    files: OutputFileEntity[],
  ): Promise<ReviewOutcome> {
    const { reviews, checkers, verdicts, outcome } = await this.roundState(manager, request, files);
    const conflictedNow = files.filter((f) => verdicts.get(f.id)!.conflicted);
    if (outcome === 'conflicted') {
      // The flag stays set once raised this round, so the decision later still shows there was a dispute.
      const newlyConflicted = conflictedNow.filter((f) => !f.conflicted);
      for (const file of newlyConflicted) {
        file.conflicted = true;
        await manager.update(OutputFileEntity, { id: file.id }, { conflicted: true });
      }
      // The checkers are told when a dispute arises, not again at each revision that leaves it standing.
      if (newlyConflicted.length)
        await this.outbox.record(
          manager,
          'output.conflicted',
          { type: 'output_request', id: request.id },
          { requestId: request.id, round: request.round },
        );
      await this.audit.append(manager, {
        action: 'output.review_conflicted',
        subjectType: 'output_request',
        subjectId: request.id,
        details: {
          round: request.round,
          reviews: checkers,
          conflictedFiles: conflictedNow.map((f) => f.fileName),
        },
      });
    } else if (outcome !== 'pending') {
      for (const file of files) {
        file.decision = verdicts.get(file.id)!.decision;
        await manager.update(OutputFileEntity, { id: file.id }, { decision: file.decision });
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
    return {
      outcome,
      status: request.status,
      reviews: checkers,
      reviewsRequired: this.settings.reviewsRequired,
      conflictedFiles: conflictedNow.map((f) => f.fileName),
    };
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
