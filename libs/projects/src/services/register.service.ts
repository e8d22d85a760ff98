import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { NotFoundError, ValidationError } from '@tre/core';
import { DatasetCatalogueService } from '@tre/datasets';
import { REGISTER_STATUSES, type ProjectStatus } from '../domain/project-status';
import { ProjectApprovalEntity } from '../entities/project-approval.entity';
import { ProjectEntity } from '../entities/project.entity';
import type { Page, RegisterEntry } from './project-views';

/**
 * The public data uses register: every project ever approved, what it is for (lay summary), who runs it
 * (organisation), which datasets it uses and on what legal basis, its dates, status and outputs released.
 * Nobody's personal data appears: no names, no user ids, no member subjects.
 */
/** What a visitor narrows the register by. */
export interface RegisterFilter {
  /** Words, each of which must appear in the title, lay summary or organisation. */
  readonly q?: string;
  readonly status?: ProjectStatus;
  /** A dataset code: projects whose approved terms include it. */
  readonly dataset?: string;
}

@Injectable()
export class RegisterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: DatasetCatalogueService,
  ) {}

  async page(page: number, pageSize: number, filter: RegisterFilter = {}): Promise<Page<RegisterEntry>> {
    const [projects, total] = await this.matching(filter)
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: await this.entries(projects), page, pageSize, total };
  }

  /** One project's public entry; 404 for a project that is not (or not yet) on the register. */
  async entry(id: string): Promise<RegisterEntry> {
    const project = await this.dataSource
      .getRepository(ProjectEntity)
      .findOne({ where: { id, status: In([...REGISTER_STATUSES]) } });
    // Same answer for "no such project" and "not approved": the register does not reveal applications.
    if (!project) throw new NotFoundError('Register entry', id);
    const [entry] = await this.entries([project]);
    return entry;
  }

  /** Counts outputs released from a project, in the transaction that releases them. */
  async recordOutputsReleased(manager: EntityManager, projectId: string, count: number): Promise<void> {
    await manager.increment(ProjectEntity, { id: projectId }, 'outputsReleased', count);
  }

  /** The whole register (or the part a filter selects), for the CSV and JSON downloads. */
  async all(filter: RegisterFilter = {}): Promise<RegisterEntry[]> {
    return this.entries(await this.matching(filter).getMany());
  }

  /**
   * The register's projects a filter selects, newest approval first. The search matches words in the title,
   * lay summary or organisation (case-insensitive, as typed: % and _ match themselves); the dataset filter keeps
   * projects whose latest approved terms name the dataset.
   */
  private matching(filter: RegisterFilter): SelectQueryBuilder<ProjectEntity> {
    // Only what was ever approved is public: a status filter narrows the register, it cannot widen it.
    if (filter.status && !REGISTER_STATUSES.includes(filter.status)) {
      throw new ValidationError(`The register holds only projects that are ${REGISTER_STATUSES.join(', ')}`, {
        fields: { status: [`status must be one of ${REGISTER_STATUSES.join(', ')}`] },
      });
    }
    const query = this.dataSource
      .getRepository(ProjectEntity)
      .createQueryBuilder('project')
      .where('project.status IN (:...statuses)', {
        statuses: filter.status ? [filter.status] : [...REGISTER_STATUSES],
      })
      .orderBy('project.approvedAt', 'DESC', 'NULLS LAST')
      .addOrderBy('project.id', 'ASC');
    for (const [index, word] of (filter.q ?? '').trim().split(/\s+/).filter(Boolean).entries()) {
      const pattern = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      query.andWhere(
        `(project.title ILIKE :word${index} OR project.laySummary ILIKE :word${index} OR project.organisation ILIKE :word${index})`,
        { [`word${index}`]: pattern },
      );
    }
    if (filter.dataset) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM project_approvals approval WHERE approval.project_id = project.id
           AND approval.approval_version = (SELECT max(latest.approval_version) FROM project_approvals latest
                                            WHERE latest.project_id = project.id)
           AND approval.datasets @> :dataset::jsonb)`,
        { dataset: JSON.stringify([{ code: filter.dataset }]) },
      );
    }
    return query;
  }

  private async entries(projects: ProjectEntity[]): Promise<RegisterEntry[]> {
    if (projects.length === 0) return [];
    const approvals = await this.dataSource.getRepository(ProjectApprovalEntity).find({
      where: { projectId: In(projects.map((p) => p.id)) },
      order: { approvalVersion: 'DESC' },
    });
    const latest = new Map<string, ProjectApprovalEntity>();
    for (const approval of approvals)
      if (!latest.has(approval.projectId)) latest.set(approval.projectId, approval);
    const codes = [...new Set(approvals.flatMap((a) => a.datasets.map((d) => d.code)))];
    const titles = new Map((await this.catalogue.findByCodes(codes)).map((d) => [d.code, d.title]));
    return projects.map((project) => ({
      id: project.id,
      title: project.title,
      laySummary: project.laySummary,
      organisation: project.organisation,
      status: project.status,
      datasets: (latest.get(project.id)?.datasets ?? []).map((d) => ({
        code: d.code,
        title: titles.get(d.code) ?? d.code,
        legalBasis: d.legalBasis,
      })),
      approvedOn: project.approvedAt?.toISOString().slice(0, 10) ?? null,
      endDate: project.endDate,
      outputsReleased: project.outputsReleased,
    }));
  }
}
