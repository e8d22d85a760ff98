import type { EntityManager } from 'typeorm';
import type { DomainEventType } from '@tre/core';
import { LINKS, type NotificationKind } from './notification-kinds';

/** Who hears of one event, what kind of message they get and where it links. */
export interface NotificationPlan {
  readonly kind: NotificationKind;
  readonly link: string;
  readonly recipients: string[];
}

type Payload = Record<string, string | number>;
type Planner = (manager: EntityManager, payload: Payload) => Promise<NotificationPlan>;

const subjects = (rows: { subject: string }[]): string[] => [...new Set(rows.map((r) => r.subject))].sort();

/** Everyone on the project: the lead and the members, by subject. */
const membersOf = async (manager: EntityManager, projectId: string): Promise<string[]> =>
  subjects(await manager.query(`SELECT subject FROM project_members WHERE project_id = $1`, [projectId]));

/**
 * People whose latest token gave them `role`, less the project's own members (who never review or check their
 * own project). Read from live state when the event is delivered, not when it happened.
 */
const holdersOfRoleOffProject = async (
  manager: EntityManager,
  role: string,
  projectId: string,
  extraExclusion = '',
): Promise<string[]> =>
  subjects(
    await manager.query(
      `SELECT DISTINCT u.subject FROM users u
        WHERE $1 = ANY (u.roles)
          AND NOT EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = $2 AND m.subject = u.subject)
          ${extraExclusion}`,
      [role, projectId],
    ),
  );

const requestProject = async (manager: EntityManager, requestId: string): Promise<string> => {
  const rows: { project_id: string }[] = await manager.query(
    `SELECT project_id FROM output_requests WHERE id = $1`,
    [requestId],
  );
  if (!rows[0]) throw new Error(`output request ${requestId} not found`);
  return rows[0].project_id;
};

const decision: Planner = async (manager, p) => ({
  kind: 'application_decided',
  link: LINKS.researcherProject(String(p.projectId)),
  recipients: await membersOf(manager, String(p.projectId)),
});

/** An admin suspended, resumed, revoked or closed the project, or it reached its end date: its people hear. */
const statusChanged: Planner = async (manager, p) => ({
  kind: 'project_status_changed',
  link: LINKS.researcherProject(String(p.projectId)),
  recipients: await membersOf(manager, String(p.projectId)),
});

/** The events that notify someone, and how each finds its people. */
export const PLANNERS: Partial<Record<DomainEventType, Planner>> = {
  'project.submitted': async (manager, p) => ({
    kind: 'application_to_review',
    link: LINKS.committeeApplication(String(p.projectId)),
    // A member who declared a conflict of interest on the project cannot vote on it: nothing to review.
    recipients: await holdersOfRoleOffProject(
      manager,
      'dac_member',
      String(p.projectId),
      `AND NOT EXISTS (SELECT 1 FROM dac_conflicts c WHERE c.project_id = $2 AND c.reviewer_id = u.id)`,
    ),
  }),
  'project.approved': decision,
  'project.rejected': decision,
  'project.returned': decision,
  'project.suspended': statusChanged,
  'project.resumed': statusChanged,
  'project.revoked': statusChanged,
  'project.closed': statusChanged,
  'project.expired': statusChanged,
  'output.ready_for_review': async (manager, p) => ({
    kind: 'output_to_check',
    link: LINKS.checkerRequest(String(p.requestId)),
    recipients: await holdersOfRoleOffProject(
      manager,
      'output_checker',
      await requestProject(manager, String(p.requestId)),
    ),
  }),
  'output.conflicted': async (manager, p) => ({
    kind: 'output_conflict',
    link: LINKS.checkerRequest(String(p.requestId)),
    // The checkers whose votes are in this round: they are the ones who must settle it.
    recipients: subjects(
      await manager.query(
        `SELECT DISTINCT u.subject FROM output_reviews r JOIN users u ON u.id = r.checker_id
          WHERE r.request_id = $1 AND r.round = $2`,
        [String(p.requestId), Number(p.round)],
      ),
    ),
  }),
  'output.released': async (manager, p) => {
    const requestId = String(p.requestId);
    const author: { subject: string }[] = await manager.query(
      `SELECT u.subject FROM output_requests r JOIN users u ON u.id = r.author_id WHERE r.id = $1`,
      [requestId],
    );
    return {
      kind: 'output_released',
      link: LINKS.researcherOutputs(requestId),
      recipients: subjects([
        ...author,
        ...(await membersOf(manager, await requestProject(manager, requestId))).map((subject) => ({
          subject,
        })),
      ]),
    };
  },
};

export const NOTIFYING_EVENTS = Object.keys(PLANNERS) as DomainEventType[];
