import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuditModule } from '@tre/audit';
import { PlatformModule } from '@tre/core';
import { ExtractBuildModule } from '@tre/datasets';
import { NotificationsModule } from '@tre/notifications';
import { OutputsModule } from '@tre/outputs';
import { ProjectsModule } from '@tre/projects';
import { TrustModule } from '@tre/trust';
import { WorkspaceLoadingModule, WorkspaceSettingsModule, WorkspacesModule } from '@tre/workspaces';
import { BuildExtractHandler } from './handlers/build-extract.handler';
import { CheckOutputsHandler } from './handlers/check-outputs.handler';
import { CollectOutputsHandler } from './handlers/collect-outputs.handler';
import { ListOutputsHandler } from './handlers/list-outputs.handler';
import { ConvergeHandler } from './handlers/converge.handler';
import { ConvergenceSweep } from './convergence/convergence-sweep';
import { DispatchEventsHandler } from './handlers/dispatch-events.handler';
import {
  DeliverNotificationsHandler,
  EmailNotificationHandler,
  LapseWarningsHandler,
} from './handlers/notification-handlers';
import { ExpireProjectsHandler } from './handlers/expire-projects.handler';
import { RetentionSweepHandler } from './handlers/retention-sweep.handler';
import { VerifyAuditChainHandler } from './handlers/verify-audit-chain.handler';
import { TransparencyCheckpointHandler } from './handlers/transparency-checkpoint.handler';
import { ReconcileWorkspacesHandler } from './handlers/reconcile-workspaces.handler';
import {
  FollowProjectHandler,
  ProvisionWorkspaceHandler,
  RequestWorkspaceHandler,
  ResumeWorkspaceHandler,
  SuspendWorkspaceHandler,
  TeardownWorkspaceHandler,
} from './handlers/workspace-handlers';
import { HealthServer } from './health/health-server';
import { WorkerMetrics } from './health/worker-metrics';
import { HandlerRegistry } from './jobs/handler-registry';
import { QueueRunner } from './jobs/queue-runner';
import { Schedules } from './jobs/schedules';

@Module({
  imports: [
    PlatformModule,
    DiscoveryModule,
    AuditModule,
    WorkspaceSettingsModule,
    ProjectsModule,
    ExtractBuildModule,
    WorkspacesModule,
    WorkspaceLoadingModule,
    OutputsModule,
    TrustModule,
    NotificationsModule,
  ],
  providers: [
    WorkerMetrics,
    HandlerRegistry,
    QueueRunner,
    Schedules,
    HealthServer,
    VerifyAuditChainHandler,
    TransparencyCheckpointHandler,
    ExpireProjectsHandler,
    RetentionSweepHandler,
    DispatchEventsHandler,
    ConvergenceSweep,
    ConvergeHandler,
    BuildExtractHandler,
    CheckOutputsHandler,
    CollectOutputsHandler,
    ListOutputsHandler,
    RequestWorkspaceHandler,
    FollowProjectHandler,
    ProvisionWorkspaceHandler,
    SuspendWorkspaceHandler,
    ResumeWorkspaceHandler,
    TeardownWorkspaceHandler,
    ReconcileWorkspacesHandler,
    DeliverNotificationsHandler,
    EmailNotificationHandler,
    LapseWarningsHandler,
  ],
})
export class WorkerModule {}
