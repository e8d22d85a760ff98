import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditQueryService, type AuditSeal, type AuditViewer, type SqlCondition } from '@tre/audit';
import { PAST_TENSE, type ProjectStatus } from '../domain/project-status';

/**
 * What a caller may see of projects and of the committee's votes, written once as SQL conditions, so the
 * detail routes, the listings, the votes and every view of the audit trail apply the same rule in their
 * queries (a listing cannot show what a detail route would refuse, a timeline cannot show a blind vote).
 */

/** From submission until the decision the committee votes blind. */
export const BLIND_STATUSES: readonly ProjectStatus[] = ['submitted', 'in_review'];

/** Events that name a voter (or say how they voted) while the vote is blind: the first vote starts the review. */
export const VOTE_EVENTS = ['project.vote_cast', `project.${PAST_TENSE.start_review}`] as const;

const blindList = BLIND_STATUSES.map((s) => `'${s}'`).join(', ');

const memberSql = (alias: string): string =>
  `EXISTS (SELECT 1 FROM project_members vis_m WHERE vis_m.project_id = ${alias}.id AND vis_m.subject = :visSubject)`;

/**
 * Who may see a project (`alias` of `projects`): admins; its members; DAC members once it has been
 * submitted. Anyone else is told it does not exist, so drafts and other people's applications do not leak.
 */
export function projectVisibleSql(alias: string, viewer: AuditViewer): SqlCondition {
  if (viewer.roles.includes('admin')) return { sql: 'TRUE', params: {} };
  const member = memberSql(alias);
  return {
    sql: viewer.roles.includes('dac_member') ? `(${alias}.status <> 'draft' OR ${member})` : member,
    params: { visSubject: viewer.subject },
  };
}

/** Whether the viewer is on the project `alias`. */
export function projectMemberSql(alias: string, viewer: AuditViewer): SqlCondition {
  return { sql: memberSql(alias), params: { visSubject: viewer.subject } };
}

/**
 * Whether a vote cast by `voterColumn` on the project `alias` is open to the viewer: every vote once the
 * project is decided (or withdrawn); before that only the viewer's own, and never to a member of the project.
 */
export function voteOpenSql(alias: string, voterColumn: string, viewer: AuditViewer): SqlCondition {
  return {
    sql: `(${alias}.status NOT IN (${blindList}) OR (${voterColumn} = :ballotViewer AND NOT ${memberSql(alias)}))`,
    params: { ballotViewer: viewer.id, visSubject: viewer.subject },
  };
}

/** Keeps the events of blind votes out of every view of the audit trail until the decision. */
@Injectable()
export class BlindVoteSeal implements AuditSeal, OnModuleInit {
  constructor(private readonly queries: AuditQueryService) {}

  onModuleInit(): void {
    this.queries.addSeal(this);
  }

  sealedFor(viewer: AuditViewer): SqlCondition {
    const open = voteOpenSql('ballot_p', 'e.actor_id', viewer);
    return {
      sql: `e.subject_type = 'project' AND e.action IN (${VOTE_EVENTS.map((a) => `'${a}'`).join(', ')})
        AND EXISTS (SELECT 1 FROM projects ballot_p WHERE ballot_p.id::text = e.subject_id AND NOT ${open.sql})`,
      params: open.params,
    };
  }
}
