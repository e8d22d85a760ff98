import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditQueryService, type TimelinePage } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import {
  cappedTotal,
  countUpToSql,
  NotFoundError,
  preparedCountUpTo,
  preparedRows,
  totalOfPage,
} from '@tre/core';
import { AccreditationRegister } from '../accreditation/accreditation-register';
import { AccreditationEntity } from '../accreditation/accreditation.entity';
import { accreditationStanding } from '../accreditation/accreditation-standing';
import { today, type ApplicationInput } from '../domain/application';
import type { ProjectStatus } from '../domain/project-status';
import { DatasetRequestEntity } from '../entities/dataset-request.entity';
import { ProjectApprovalEntity } from '../entities/project-approval.entity';
import { ProjectEntity } from '../entities/project.entity';
import { ProjectMemberEntity } from '../entities/project-member.entity';
import { ProjectVersionEntity } from '../entities/project-version.entity';
import { ProjectLifecycle } from './project-lifecycle';
import { BLIND_STATUSES, projectMemberSql, projectVisibleSql } from './project-visibility';
import type { Page, ProjectSummary, ProjectVersionView, ProjectView } from './project-views';

export interface ProjectMembership {
  readonly projectId: string;
  readonly status: ProjectStatus;
  readonly members: {
    subject: string;
    role: 'lead' | 'member';
    /** The expiry that decides: the register's where it has a record, else the one declared. */
    accreditationExpiresOn: string;
    /** Lapsed by the register (by an admin, or past its expiry) or past the declared expiry. */
    accreditationLapsed: boolean;
  }[];
}

/** A listed project as `list` reads it: the summary's columns, with its update time as pg parses it. */
type ProjectSummaryRow = Omit<ProjectSummary, 'updatedAt'> & { updatedAt: Date; list_total: number };

export type ProjectScope = 'mine' | 'awaiting_review' | 'all';

export interface ProjectListQuery {
  readonly scope: ProjectScope;
  readonly status?: ProjectStatus;
  readonly page: number;
  readonly pageSize: number;
}

/** What `detail` reads beside the project, as JSON (dates as Postgres writes them: YYYY-MM-DD). */
interface DetailExtras {
  detail_members: Pick<ProjectMemberEntity, 'subject' | 'role' | 'accreditationExpiresOn'>[];
  detail_requests: Pick<DatasetRequestEntity, 'datasetCode' | 'fields' | 'legalBasis'>[];
  detail_approval:
    (Omit<ProjectApprovalEntity, 'approvedAt' | 'projectId' | 'project'> & { approvedAt: string }) | null;
}

/** What `detail` reads of the project itself (dates as YYYY-MM-DD text, as the entity has them). */
type DetailRow = DetailExtras &
  Pick<
    ProjectEntity,
    | 'id'
    | 'title'
    | 'laySummary'
    | 'scientificPurpose'
    | 'publicBenefit'
    | 'organisation'
    | 'leadId'
    | 'status'
    | 'applicationVersion'
    | 'requestedEndDate'
    | 'endDate'
    | 'approvedAt'
    | 'createdAt'
    | 'updatedAt'
  >;

/** In the order `ProjectLifecycle.membersOf` reads them. */
const DETAIL_MEMBERS_SQL = `(SELECT coalesce(json_agg(json_build_object('subject', m.subject, 'role', m.role,
    'accreditationExpiresOn', m.accreditation_expires_on) ORDER BY m.role, m.subject), '[]')
  FROM project_members m WHERE m.project_id = p.id)`;

const DETAIL_REQUESTS_SQL = `(SELECT coalesce(json_agg(json_build_object('datasetCode', r.dataset_code,
    'fields', r.fields, 'legalBasis', r.legal_basis) ORDER BY r.dataset_code), '[]')
  FROM project_dataset_requests r WHERE r.project_id = p.id)`;

const DETAIL_APPROVAL_SQL = `(SELECT json_build_object('id', a.id, 'approvalVersion', a.approval_version,
    'applicationVersion', a.application_version, 'datasets', a.datasets, 'conditions', a.conditions,
    'endDate', a.end_date, 'approverIds', a.approver_ids, 'approvedAt', a.approved_at, 'workspace', a.workspace)
  FROM project_approvals a WHERE a.project_id = p.id ORDER BY a.approval_version DESC LIMIT 1)`;

export type MemberAccreditation = 'current' | 'lapsed' | 'none';

/**
 * `memberAccreditation`'s judgement, read in SQL (see `memberStandingSql`): 'current', 'lapsed', or null when
 * not a member.
 */
export const accreditationOf = (standing: string | null): MemberAccreditation =>
  standing === null ? 'none' : standing === 'current' ? 'current' : 'lapsed';

/**
 * The accreditation rule of `accreditationStanding` as a SQL condition over a membership row (`m`) and the
 * person's register record (`r`, left-joined on the subject): the register decides where it has a record
 * (current and not past its expiry), the declared expiry otherwise. `:todayParam` is today, YYYY-MM-DD (UTC),
 * as `today()` gives it. Kept beside the TypeScript rule; the accreditation-register e2e tests hold both.
 */
export const accreditationCurrentSql = (m: string, r: string, todayParam: string): string =>
  `(CASE WHEN ${r}.subject IS NULL THEN ${m}.accreditation_expires_on >= :${todayParam}::date
     ELSE ${r}.state = 'current' AND ${r}.expires_on >= :${todayParam}::date END)`;

/**
 * The standing ('current' or 'lapsed'; null when not a member) of the subject bound to `:subjectParam` in the
 * project `projectIdColumn` names, for a caller that reads its own row and the membership in one query and
 * judges it with `accreditationOf`. Bind `accToday` to `today()`.
 */
export const memberStandingSql = (projectIdColumn: string, subjectParam: string): string =>
  `(SELECT CASE WHEN ${accreditationCurrentSql('acc_m', 'acc_r', 'accToday')} THEN 'current' ELSE 'lapsed' END
      FROM project_members acc_m LEFT JOIN accreditations acc_r ON acc_r.subject = acc_m.subject
     WHERE acc_m.project_id = ${projectIdColumn} AND acc_m.subject = :${subjectParam})`;

/** Read side of projects: details, listings, versions and the timeline from the audit trail. */
@Injectable()
export class ProjectReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: ProjectLifecycle,
    private readonly auditQueries: AuditQueryService,
    private readonly register: AccreditationRegister,
  ) {}

  /** The application as its lead wrote it, for editing and for freezing into a version. */
  async applicationOf(manager: EntityManager, project: ProjectEntity): Promise<ApplicationInput> {
    const members = await this.lifecycle.membersOf(manager, project.id);
    const requests = await manager.find(DatasetRequestEntity, {
      where: { projectId: project.id },
      order: { datasetCode: 'ASC' },
    });
    const lead = members.find((m) => m.role === 'lead');
    return {
      title: project.title,
      laySummary: project.laySummary,
      scientificPurpose: project.scientificPurpose,
      publicBenefit: project.publicBenefit,
      organisation: project.organisation,
      requestedEndDate: project.requestedEndDate,
      accreditationExpiresOn: lead?.accreditationExpiresOn ?? today(),
      members: members
        .filter((m) => m.role === 'member')
        .map((m) => ({ subject: m.subject, accreditationExpiresOn: m.accreditationExpiresOn })),
      datasets: requests.map((r) => ({
        datasetCode: r.datasetCode,
        fields: r.fields,
        legalBasis: r.legalBasis,
      })),
      ...(project.workspaceChoice ? { workspace: { ...project.workspaceChoice } } : {}),
    };
  }

  /**
   * One round trip: the project (under the listings' visibility rule, as `loadVisible` applies it), its members,
   * dataset requests and latest approval as JSON beside it. Four queries before; on a busy machine each round
   * trip to Postgres costs the API more than the rest of the request.
   */
  async detail(user: AuthenticatedUser, projectId: string): Promise<ProjectView> {
    const visible = projectVisibleSql('p', user);
    // A prepared statement read raw (`preparedRows`): the project page polls it.
    const [project] = await preparedRows<DetailRow>(
      this.dataSource,
      `SELECT p.id, p.title, p.lay_summary AS "laySummary", p.scientific_purpose AS "scientificPurpose",
              p.public_benefit AS "publicBenefit", p.organisation, p.lead_id AS "leadId", p.status,
              p.application_version AS "applicationVersion", p.requested_end_date::text AS "requestedEndDate",
              p.end_date::text AS "endDate", p.approved_at AS "approvedAt", p.created_at AS "createdAt",
              p.updated_at AS "updatedAt", ${DETAIL_MEMBERS_SQL} AS detail_members,
              ${DETAIL_REQUESTS_SQL} AS detail_requests, ${DETAIL_APPROVAL_SQL} AS detail_approval
         FROM projects p WHERE p.id = :projectId AND ${visible.sql}`,
      { ...visible.params, projectId },
    );
    if (!project) throw new NotFoundError('Project', projectId);
    const { detail_members: members, detail_requests: requests, detail_approval: stored } = project;
    const approval = stored && { ...stored, approvedAt: new Date(stored.approvedAt) };
    const now = today();
    const records = await this.register.recordsOf(members.map((m) => m.subject));
    const standing = new Map(
      members.map((m) => [
        m.subject,
        accreditationStanding(m.accreditationExpiresOn, records.get(m.subject), now),
      ]),
    );
    const lapsed = members.some((m) => standing.get(m.subject)?.lapsed);
    return {
      id: project.id,
      title: project.title,
      laySummary: project.laySummary,
      scientificPurpose: project.scientificPurpose,
      publicBenefit: project.publicBenefit,
      organisation: project.organisation,
      leadId: project.leadId,
      status: project.status,
      applicationVersion: project.applicationVersion,
      requestedEndDate: project.requestedEndDate,
      endDate: project.endDate,
      approvedAt: project.approvedAt?.toISOString() ?? null,
      createdAt: project.createdAt.toISOString(),
      updatedAt: project.updatedAt.toISOString(),
      members: members.map((m) => ({
        subject: m.subject,
        role: m.role,
        accreditationExpiresOn: m.accreditationExpiresOn,
        accreditationLapsed: standing.get(m.subject)?.lapsed ?? true,
      })),
      datasets: requests.map((r) => ({
        datasetCode: r.datasetCode,
        fields: r.fields,
        legalBasis: r.legalBasis,
      })),
      approval: approval && {
        id: approval.id,
        approvalVersion: approval.approvalVersion,
        applicationVersion: approval.applicationVersion,
        datasets: approval.datasets,
        conditions: approval.conditions,
        endDate: approval.endDate,
        approverIds: approval.approverIds,
        approvedAt: approval.approvedAt.toISOString(),
        workspace: approval.workspace,
      },
      flags: lapsed ? ['accreditation_lapsed'] : [],
    };
  }

  /**
   * Every scope is a subset of what the detail route shows the caller: the listing starts from the same
   * visibility condition (`projectVisibleSql`) and each scope only narrows it. A prepared statement read raw
   * (`preparedRows`): the queues and dashboards poll it, and planning it afresh, building it with the query
   * builder and hydrating entities cost more than the rows.
   */
  async list(user: AuthenticatedUser, query: ProjectListQuery): Promise<Page<ProjectSummary>> {
    const visible = projectVisibleSql('p', user);
    const member = projectMemberSql('p', user);
    const conditions = [visible.sql];
    if (query.scope === 'mine') {
      conditions.push(member.sql);
    } else if (query.scope === 'awaiting_review') {
      conditions.push(
        // The code's own constants, written into the text: the plan then knows every match is submitted.
        `p.status IN (${BLIND_STATUSES.map((status) => `'${status}'`).join(', ')})`,
        `NOT ${member.sql}`,
        `NOT EXISTS (SELECT 1 FROM dac_conflicts c WHERE c.project_id = p.id AND c.reviewer_id = :userId)`,
        `NOT EXISTS (SELECT 1 FROM dac_votes v WHERE v.project_id = p.id AND v.application_version = p.application_version AND v.reviewer_id = :userId)`,
      );
    }
    if (query.status) conditions.push('p.status = :status');
    const fromWhere = `FROM projects p WHERE ${conditions.join(' AND ')}`;
    const params = {
      ...visible.params,
      ...member.params,
      userId: user.id,
      status: query.status,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    };
    // The total (counted up to LIST_TOTAL_LIMIT, by its own cheapest plan) rides along with the page: one round
    // trip, not two. A page past the end has no row to carry it, so only then is it counted on its own.
    // A unique tiebreaker in the order: rows updated in the same instant keep one order, so no page repeats or
    // skips one.
    const rows = await preparedRows<ProjectSummaryRow>(
      this.dataSource,
      `SELECT p.id, p.title, p.organisation, p.status, p.application_version AS "applicationVersion",
              p.requested_end_date::text AS "requestedEndDate", p.end_date::text AS "endDate",
              p.updated_at AS "updatedAt", ${countUpToSql('p.id', fromWhere)} AS list_total
         ${fromWhere} ORDER BY p.updated_at DESC, p.id ASC LIMIT :limit OFFSET :offset`,
      params,
    );
    const counted = await totalOfPage(rows, 'list_total', query.page === 1, () =>
      preparedCountUpTo(this.dataSource, 'p.id', fromWhere, params),
    );
    return {
      items: rows.map((p) => ({
        id: p.id,
        title: p.title,
        organisation: p.organisation,
        status: p.status,
        applicationVersion: p.applicationVersion,
        requestedEndDate: p.requestedEndDate,
        endDate: p.endDate,
        updatedAt: p.updatedAt.toISOString(),
      })),
      page: query.page,
      pageSize: query.pageSize,
      ...cappedTotal(counted),
    };
  }

  async version(user: AuthenticatedUser, projectId: string, version: number): Promise<ProjectVersionView> {
    await this.lifecycle.loadVisible(this.dataSource.manager, projectId, user);
    const row = await this.dataSource.getRepository(ProjectVersionEntity).findOneBy({ projectId, version });
    if (!row) throw new NotFoundError(`Version ${version} of project`, projectId);
    return {
      version: row.version,
      submittedAt: row.submittedAt.toISOString(),
      submittedBy: row.submittedBy,
      content: row.content,
    };
  }

  async timeline(
    user: AuthenticatedUser,
    projectId: string,
    paging: { page: number; pageSize: number },
  ): Promise<TimelinePage> {
    // 404 unless the caller may see the project (`projectVisibleSql`, as `loadVisible` applies it), asked in the
    // page's own statement: the timeline is polled, and a round trip of its own cost the API more than the rows.
    // Blind votes are withheld by the seal registered with the audit queries (`BlindVoteSeal`), in the query
    // itself, so neither a page nor the total counts a sealed event.
    const visible = projectVisibleSql('p', user);
    const page = await this.auditQueries.timelineIf(
      {
        sql: `EXISTS (SELECT 1 FROM projects p WHERE p.id = :timelineProjectId AND ${visible.sql})`,
        params: { ...visible.params, timelineProjectId: projectId },
      },
      'project',
      projectId,
      user,
      paging,
    );
    if (!page) throw new NotFoundError('Project', projectId);
    return page;
  }

  /**
   * Who is on a project and whether it is in force, for other parts of the service that enforce separation of
   * duties and accreditation (the airlock). Null when there is no such project. Reads without locking.
   */
  async membership(manager: EntityManager, projectId: string): Promise<ProjectMembership | null> {
    const project = await manager.findOneBy(ProjectEntity, { id: projectId });
    if (!project) return null;
    const members = await this.lifecycle.membersOf(manager, projectId);
    const records = await this.register.recordsOf(
      members.map((m) => m.subject),
      manager,
    );
    const now = today();
    return {
      projectId,
      status: project.status,
      members: members.map((m) => {
        const standing = accreditationStanding(m.accreditationExpiresOn, records.get(m.subject), now);
        return {
          subject: m.subject,
          role: m.role,
          accreditationExpiresOn: standing.expiresOn,
          accreditationLapsed: standing.lapsed,
        };
      }),
    };
  }

  /** A project's status and lead, for the jobs and checks that follow it (workspaces). */
  async statusOf(projectId: string): Promise<Pick<ProjectEntity, 'id' | 'status' | 'leadId'> | null> {
    return this.dataSource
      .getRepository(ProjectEntity)
      .findOne({ where: { id: projectId }, select: { id: true, status: true, leadId: true } });
  }

  /**
   * Whether `subject` is a member of the project with an accreditation still current today; a lapsed
   * accreditation closes the door to the project's workspace as it does to approval. The register decides
   * where it has a record of the person; otherwise the expiry declared on the membership does.
   */
  async memberAccreditation(projectId: string, subject: string): Promise<MemberAccreditation> {
    const member = await this.dataSource.getRepository(ProjectMemberEntity).findOneBy({ projectId, subject });
    if (!member) return 'none';
    const record = (await this.register.recordsOf([subject])).get(subject);
    return accreditationStanding(member.accreditationExpiresOn, record, today()).lapsed
      ? 'lapsed'
      : 'current';
  }

  /**
   * Projects `subject` is a member of with an accreditation still current today (as `memberAccreditation`
   * judges it), in one query: the workspace list asked once per project before (14 round trips a page).
   */
  async currentProjectIdsOf(subject: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ProjectMemberEntity)
      .createQueryBuilder('m')
      .leftJoin(AccreditationEntity, 'r', 'r.subject = m.subject')
      .select('m.projectId', 'projectId')
      .where('m.subject = :subject', { subject })
      .andWhere(accreditationCurrentSql('m', 'r', 'accToday'), { accToday: today() })
      .getRawMany<{ projectId: string }>();
    return rows.map((row) => row.projectId);
  }

  /** An approval exactly as recorded, for the jobs that act on it (extracts, workspaces). */
  approvalById(approvalId: string): Promise<ProjectApprovalEntity | null> {
    return this.dataSource.getRepository(ProjectApprovalEntity).findOneBy({ id: approvalId });
  }
}
