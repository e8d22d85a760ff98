import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DatasetCatalogueService } from '@tre/datasets';
import { REGISTER_STATUSES } from '../domain/project-status';
import { ProjectApprovalEntity } from '../entities/project-approval.entity';
import { ProjectEntity } from '../entities/project.entity';
import type { Page, RegisterEntry } from './project-views';

/**
 * The public data uses register: every project ever approved, what it is for (lay summary), who runs it
 * (organisation), which datasets it uses and on what legal basis, its dates, status and outputs released.
 * Nobody's personal data appears: no names, no user ids, no member subjects.
 */
@Injectable()
export class RegisterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: DatasetCatalogueService,
  ) {}

  async page(page: number, pageSize: number): Promise<Page<RegisterEntry>> {
    const [projects, total] = await this.dataSource.getRepository(ProjectEntity).findAndCount({
      where: { status: In([...REGISTER_STATUSES]) },
      order: { approvedAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: await this.entries(projects), page, pageSize, total };
  }

  /** Counts outputs released from a project, in the transaction that releases them. */
  async recordOutputsReleased(manager: EntityManager, projectId: string, count: number): Promise<void> {
    await manager.increment(ProjectEntity, { id: projectId }, 'outputsReleased', count);
  }

  /** The whole register, for the CSV download. */
  async all(): Promise<RegisterEntry[]> {
    const projects = await this.dataSource.getRepository(ProjectEntity).find({
      where: { status: In([...REGISTER_STATUSES]) },
      order: { approvedAt: 'DESC', id: 'ASC' },
    });
    return this.entries(projects);
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
