import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditQueryService, type AuditSeal, type AuditViewer, type SqlCondition } from '@tre/audit';
import { OUTPUTS_SETTINGS, type OutputsSettings } from './outputs-config';

/**
 * What a caller may see of output requests and of the checkers' reviews, written once as SQL conditions:
 * the detail route, every listing scope, the reviews on a request and every view of the audit trail apply
 * the same rule in their queries.
 */

/** Events that name a checker of the round or say how they voted; sealed while the round is blind. */
export const REVIEW_EVENTS = [
  'output.reviewed',
  'output.review_revised',
  'output.review_conflicted',
  'output.file_read',
  'output.commented',
] as const;

const memberSql = (alias: string): string =>
  `EXISTS (SELECT 1 FROM project_members ovis_m WHERE ovis_m.project_id = ${alias}.project_id AND ovis_m.subject = :ovisSubject)`;

/**
 * Who may see a request (`alias` of `output_requests`): the project's members; output checkers and admins
 * once it has been submitted. Anyone else is told it does not exist.
 */
export function outputVisibleSql(alias: string, viewer: AuditViewer): SqlCondition {
  const reviewer = viewer.roles.includes('admin') || viewer.roles.includes('output_checker');
  return {
    sql: reviewer ? `(${alias}.status <> 'draft' OR ${memberSql(alias)})` : memberSql(alias),
    params: { ovisSubject: viewer.subject },
  };
}

/** Whether the viewer is on the project of the request `alias`. */
export function outputMemberSql(alias: string, viewer: AuditViewer): SqlCondition {
  return { sql: memberSql(alias), params: { ovisSubject: viewer.subject } };
}

/**
 * Whether a checker's review (by `checkerColumn`, of round `roundSql`) on the request `alias` is open to the
 * viewer. Reviews of a round in review are blind: a checker sees their own; once `required` reviews are in
 * (the checkers disagree and must settle it) every checker who is not on the project sees them all; the
 * project's members see none until the round is decided. Earlier rounds are decided, so open.
 */
export function reviewOpenSql(
  alias: string,
  checkerColumn: string,
  roundSql: string,
  viewer: AuditViewer,
  required: number,
): SqlCondition {
  const notMember = `NOT ${memberSql(alias)}`;
  const enoughIn = `(SELECT COUNT(DISTINCT ovis_w.checker_id) FROM output_reviews ovis_w
      WHERE ovis_w.request_id = ${alias}.id AND ovis_w.round = ${alias}.round) >= :ovisRequired`;
  const checker = viewer.roles.includes('output_checker');
  return {
    sql: `(${alias}.status <> 'in_review' OR ${roundSql} <> ${alias}.round
      OR (${checkerColumn} = :ovisViewer AND ${notMember})
      ${checker ? `OR (${notMember} AND ${enoughIn})` : ''})`,
    params: { ovisViewer: viewer.id, ovisSubject: viewer.subject, ovisRequired: required },
  };
}

/**
 * The same rule for a request already loaded: whether this round's reviews are hidden from the viewer (the
 * view's `blind` flag; while blind, the `conflicted` flags, which say how the checkers voted, are too).
 */
export function roundBlindTo(
  request: { status: string },
  viewer: AuditViewer,
  member: boolean,
  reviewsIn: number,
  required: number,
): boolean {
  const checker = !member && viewer.roles.includes('output_checker');
  return request.status === 'in_review' && !(checker && reviewsIn >= required);
}

/** Keeps the events of blind reviews out of every view of the audit trail until the round is decided. */
@Injectable()
export class BlindReviewSeal implements AuditSeal, OnModuleInit {
  constructor(
    private readonly queries: AuditQueryService,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
  ) {}

  onModuleInit(): void {
    this.queries.addSeal(this);
  }

  sealedFor(viewer: AuditViewer): SqlCondition {
    const round = `COALESCE((e.details->>'round')::int, seal_r.round)`;
    const open = reviewOpenSql('seal_r', 'e.actor_id', round, viewer, this.settings.reviewsRequired);
    return {
      sql: `e.subject_type = 'output_request' AND e.action IN (${REVIEW_EVENTS.map((a) => `'${a}'`).join(', ')})
        AND EXISTS (SELECT 1 FROM output_requests seal_r WHERE seal_r.id::text = e.subject_id AND NOT ${open.sql})`,
      params: open.params,
    };
  }
}
