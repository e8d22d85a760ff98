import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProjectEntity } from '../entities/project.entity';

/**
 * What the public register keeps on the project row itself: the number of files released. The register
 * (with its opt-out counts, releases and deletions) is read by libs/trust's PublicRegisterService.
 */
@Injectable()
export class RegisterService {
  /** Counts outputs released from a project, in the transaction that releases them. */
  async recordOutputsReleased(manager: EntityManager, projectId: string, count: number): Promise<void> {
    await manager.increment(ProjectEntity, { id: projectId }, 'outputsReleased', count);
  }
}
