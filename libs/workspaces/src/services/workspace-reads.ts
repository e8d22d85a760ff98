import type { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { preparedRows, totalOfPage } from '@tre/core';
import { accreditationCurrentSql, memberStandingSql, today } from '@tre/projects';
import type { WorkspaceEntity } from '../entities/workspace.entity';

/** A workspace as the prepared reads return it: the entity's columns, as pg parses them. */
export type WorkspaceRow = Omit<WorkspaceEntity, 'project' | 'approval'>;

/** `WorkspaceRow`'s columns of `workspaces w`, named as the entity names them. */
const WORKSPACE_COLUMNS = `w.id, w.project_id AS "projectId", w.approval_id AS "approvalId", w.size, w.tool,
  w.namespace, w.state, w.operation, w.steps, w.failure_reason AS "failureReason",
  w.cleanup_pending AS "cleanupPending", w.teardown_due_at AS "teardownDueAt", w.created_at AS "createdAt",
  w.updated_at AS "updatedAt"`;

/**
 * The projects whose workspaces a researcher sees: those `:subject` is a member of with an accreditation still
 * current today (the rule of `ProjectReader.currentProjectIdsOf` and `memberAccreditation`), as a sub-query.
 */
const CURRENT_PROJECTS_SQL = `SELECT cur_m.project_id FROM project_members cur_m
  LEFT JOIN accreditations cur_r ON cur_r.subject = cur_m.subject
  WHERE cur_m.subject = :subject AND ${accreditationCurrentSql('cur_m', 'cur_r', 'accToday')}`;

/** One workspace, with the caller's standing in its project ('current', 'lapsed', null: not a member). */
export async function workspaceWithStanding(
  dataSource: DataSource,
  user: AuthenticatedUser,
  workspaceId: string,
): Promise<(WorkspaceRow & { callerStanding: string | null }) | undefined> {
  // An admin sees every workspace: the standing is not read for one.
  const standing = user.roles.includes('admin') ? 'NULL::text' : memberStandingSql('w.project_id', 'caller');
  const [row] = await preparedRows<WorkspaceRow & { callerStanding: string | null }>(
    dataSource,
    `SELECT ${WORKSPACE_COLUMNS}, ${standing} AS "callerStanding" FROM workspaces w WHERE w.id = :workspaceId`,
    { workspaceId, caller: user.subject, accToday: today() },
  );
  return row;
}

/**
 * A page of the workspaces the caller sees (admins all; researchers their current projects'), newest first, the
 * id breaking ties in creation time so that pages neither repeat nor skip one, with the exact count of them.
 * The count rides along with the page (one round trip); a page past the end has no row to carry it, so only
 * then is it counted on its own.
 */
export async function workspacePage(
  dataSource: DataSource,
  user: AuthenticatedUser,
  paging: { page: number; pageSize: number },
): Promise<{ rows: WorkspaceRow[]; total: number }> {
  const fromWhere = user.roles.includes('admin')
    ? 'FROM workspaces w'
    : `FROM workspaces w WHERE w.project_id IN (${CURRENT_PROJECTS_SQL})`;
  const params = {
    subject: user.subject,
    accToday: today(),
    limit: paging.pageSize,
    offset: (paging.page - 1) * paging.pageSize,
  };
  const rows = await preparedRows<WorkspaceRow & { listTotal: number }>(
    dataSource,
    `SELECT ${WORKSPACE_COLUMNS}, (SELECT COUNT(*)::int ${fromWhere}) AS "listTotal"
       ${fromWhere} ORDER BY w.created_at DESC, w.id DESC LIMIT :limit OFFSET :offset`,
    params,
  );
  const total = await totalOfPage(rows, 'listTotal', paging.page === 1, async () => {
    const [counted] = await preparedRows<{ n: number }>(
      dataSource,
      `SELECT COUNT(*)::int AS n ${fromWhere}`,
      params,
    );
    return counted.n;
  });
  return { rows, total };
}
