import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { ExtractQueryModule, ExtractQueryService } from '@tre/datasets';
import { ProjectsModule } from '@tre/projects';
import { WorkspaceEntity } from './entities/workspace.entity';
import type { ExtractLookup } from './provisioning/provision-steps';
import { EXTRACT_LOOKUP } from './provisioning/tokens';
import { WorkspaceProvisioner } from './provisioning/workspace-provisioner';
import { WorkspaceReconciler } from './provisioning/workspace-reconciler';
import { WorkspaceStore } from './provisioning/workspace-store';
import { WorkspaceService } from './services/workspace.service';

export const WORKSPACE_ENTITIES = [WorkspaceEntity];

/**
 * Workspaces: the lifecycle, the provisioner and the reconciler. Needs WorkspaceSettingsModule (global) for
 * the settings and the cluster driver, and LOAD_TOKEN_ISSUER from the loading side when it is wired in.
 */
@Module({
  imports: [TypeOrmModule.forFeature(WORKSPACE_ENTITIES), AuditModule, ExtractQueryModule, ProjectsModule],
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
