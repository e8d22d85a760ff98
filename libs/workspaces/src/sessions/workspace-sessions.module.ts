import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { authSchemeToken } from '@tre/auth';
import { ProjectsModule } from '@tre/projects';
import { WorkspacesModule } from '../workspaces.module';
import { GATEWAY_SCHEME, GatewayAuthenticator } from './gateway-auth';
import { GatewaySessionsService } from './gateway-sessions.service';
import { SessionRecords } from './session-records';
import { WorkspaceSessionEntity } from './session.entity';
import { WorkspaceSessionsService } from './workspace-sessions.service';

/**
 * Sessions through the access gateway: tickets for people, the decision the gateway asks for, and the
 * gateway's own authentication scheme. Needs WorkspaceSettingsModule (global) for the tool ports.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WorkspaceSessionEntity]),
    AuditModule,
    ProjectsModule,
    WorkspacesModule,
  ],
  providers: [
    SessionRecords,
    WorkspaceSessionsService,
    GatewaySessionsService,
    GatewayAuthenticator,
    { provide: authSchemeToken(GATEWAY_SCHEME), useExisting: GatewayAuthenticator },
  ],
  exports: [WorkspaceSessionsService, GatewaySessionsService, authSchemeToken(GATEWAY_SCHEME)],
})
export class WorkspaceSessionsModule {}
