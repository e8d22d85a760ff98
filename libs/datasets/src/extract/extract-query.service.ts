import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { ExtractEntity } from './extract.entity';
import type { DeliveredFile, ExtractPage } from './extract.types';

@Injectable()
export class ExtractQueryService {
  constructor(
    @InjectRepository(ExtractEntity) private readonly extracts: Repository<ExtractEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Newest first; the id breaks ties in creation time so that pages neither repeat nor skip an extract. */
  async forProject(projectId: string, paging: { page: number; pageSize: number }): Promise<ExtractPage> {
    const [rows, total] = await this.extracts.findAndCount({
      where: { projectId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (paging.page - 1) * paging.pageSize,
      take: paging.pageSize,
    });
    const items = rows.map((row) => ({
      id: row.id,
      projectId: row.projectId,
      approvalId: row.approvalId,
      status: row.status,
      keyVersion: row.keyVersion,
      steps: row.steps,
      failureReason: row.failureReason,
      manifest: row.manifest,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }));
    return { items, total, ...paging };
  }

  byApproval(approvalId: string): Promise<ExtractEntity | null> {
    return this.extracts.findOneBy({ approvalId });
  }

  findById(extractId: string): Promise<ExtractEntity | null> {
    return this.extracts.findOneBy({ id: extractId });
  }

  /** The files a delivered extract's manifest lists (as recorded in the database, not read from the store). */
  deliveredFiles(extract: ExtractEntity): DeliveredFile[] {
    const files = (extract.manifest as { files?: DeliveredFile[] } | null)?.files;
    return Array.isArray(files) ? files : [];
  }

  /**
   * Where a listed file lies in the extract store. Only names the manifest lists resolve, so no caller can
   * reach another path by crafting a name ('../', an absolute path, or another extract's file).
   */
  deliveredPath(extract: ExtractEntity, fileName: string): string | undefined {
    const listed = this.deliveredFiles(extract).some((entry) => entry.file === fileName);
    if (!listed || fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.'))
      return undefined;
    return join(this.config.extractStoreDir, extract.projectId, extract.id, fileName);
  }
}
