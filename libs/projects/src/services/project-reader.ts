import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditQueryService, type TimelinePage } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { NotFoundError } from '@tre/core';
import { AccreditationRegister } from '../accreditation/accreditation-register';
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

export type ProjectScope = 'mine' | 'awaiting_review' | 'all';

export interface ProjectListQuery {
  readonly scope: ProjectScope;
  readonly status?: ProjectStatus;
  readonly page: number;
  readonly pageSize: number;
}

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

  async detail(user: AuthenticatedUser, projectId: string): Promise<ProjectView> {
    const manager = this.dataSource.manager;
    const project = await this.lifecycle.loadVisible(manager, projectId, user);
    const members = await this.lifecycle.membersOf(manager, projectId);
    const requests = await manager.find(DatasetRequestEntity, {
      where: { projectId },
      order: { datasetCode: 'ASC' },
    });
    const approval = await manager.findOne(ProjectApprovalEntity, {
      where: { projectId },
      order: { approvalVersion: 'DESC' },
    });
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
   * visibility condition (`projectVisibleSql`) and each scope only narrows it.
   */
  async list(user: AuthenticatedUser, query: ProjectListQuery): Promise<Page<ProjectSummary>> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p');
    const visible = projectVisibleSql('p', user);
    const member = projectMemberSql('p', user);
    qb.where(visible.sql, visible.params);
    if (query.scope === 'mine') {
      qb.andWhere(member.sql, member.params);
    } else if (query.scope === 'awaiting_review') {
      qb.andWhere(`p.status IN (:...blind)`, { blind: BLIND_STATUSES })
        .andWhere(`NOT ${member.sql}`, member.params)
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM dac_conflicts c WHERE c.project_id = p.id AND c.reviewer_id = :userId)`,
        )
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM dac_votes v WHERE v.project_id = p.id AND v.application_version = p.application_version AND v.reviewer_id = :userId)`,
        );
    }
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    qb.setParameter('userId', user.id);
    const [rows, total] = await qb
      .orderBy('p.updated_at', 'DESC')
      // A unique tiebreaker: rows updated in the same instant keep one order, so no page repeats or skips one.
      .addOrderBy('p.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
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
      total,
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
    await this.lifecycle.loadVisible(this.dataSource.manager, projectId, user);
    // Blind votes are withheld by the seal registered with the audit queries (`BlindVoteSeal`), in the query
    // itself, so neither a page nor the total counts a sealed event.
    return this.auditQueries.timeline('project', projectId, user, paging);
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
  async memberAccreditation(projectId: string, subject: string): Promise<'current' | 'lapsed' | 'none'> {
    const member = await this.dataSource.getRepository(ProjectMemberEntity).findOneBy({ projectId, subject });
    if (!member) return 'none';
    const record = (await this.register.recordsOf([subject])).get(subject);
    return accreditationStanding(member.accreditationExpiresOn, record, today()).lapsed
      ? 'lapsed'
      : 'current';
  }

  /** Projects `subject` is a member of. */
  async projectIdsOf(subject: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ProjectMemberEntity)
      .find({ where: { subject }, select: { projectId: true } });
    return rows.map((row) => row.projectId);
  }

  /** An approval exactly as recorded, for the jobs that act on it (extracts, workspaces). */
  approvalById(approvalId: string): Promise<ProjectApprovalEntity | null> {
    return this.dataSource.getRepository(ProjectApprovalEntity).findOneBy({ id: approvalId });
  }
}
