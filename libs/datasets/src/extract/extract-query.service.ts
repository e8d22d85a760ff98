import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ExtractEntity } from './extract.entity';
import type { ExtractView } from './extract.types';

@Injectable()
export class ExtractQueryService {
  constructor(@InjectRepository(ExtractEntity) private readonly extracts: Repository<ExtractEntity>) {}

  async forProject(projectId: string): Promise<ExtractView[]> {
    const rows = await this.extracts.find({ where: { projectId }, order: { createdAt: 'DESC' } });
    return rows.map((row) => ({
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
  }

  byApproval(approvalId: string): Promise<ExtractEntity | null> {
    return this.extracts.findOneBy({ approvalId });
  }
}
