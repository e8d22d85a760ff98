import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { ExtractQueryModule, ExtractQueryService } from '@tre/datasets';
import { ProjectsModule } from '@tre/projects';
import { WorkspaceEntity } from './entities/workspace.entity';
import type { ExtractLookup } from './provisioning/provision-steps';
import { WorkspaceLoadingModule } from './loading/workspace-loading.module';
import { EXTRACT_LOOKUP } from './provisioning/tokens';
import { WorkspaceProvisioner } from './provisioning/workspace-provisioner';
import { WorkspaceReconciler } from './provisioning/workspace-reconciler';
import { WorkspaceStore } from './provisioning/workspace-store';
import { WorkspaceService } from './services/workspace.service';

export const WORKSPACE_ENTITIES = [WorkspaceEntity];

/**
 * Workspaces: the lifecycle, the provisioner and the reconciler. Needs WorkspaceSettingsModule (global) for
 * the settings and the cluster driver, and the loading side (WorkspaceLoadingModule) for the one-time load grants.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(WORKSPACE_ENTITIES),
    AuditModule,
    ExtractQueryModule,
    ProjectsModule,
    WorkspaceLoadingModule,
  ],
  providers: [
    WorkspaceStore,
    WorkspaceProvisioner,
    WorkspaceReconciler,
    WorkspaceService,
    {
      provide: EXTRACT_LOOKUP,
      inject: [ExtractQueryService],
      useFactory: (extracts: ExtractQueryService): ExtractLookup => ({
        byApproval: (approvalId) => extracts.byApproval(approvalId),
      }),
    },
  ],
  exports: [WorkspaceStore, WorkspaceProvisioner, WorkspaceReconciler, WorkspaceService],
})
export class WorkspacesModule {}
