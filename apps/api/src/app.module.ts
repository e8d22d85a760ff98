import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { AuditModule } from '@tre/audit';
import { AuthModule } from '@tre/auth';
import { APP_CONFIG, PlatformModule, type AppConfig } from '@tre/core';
import { DatasetsModule, ExtractQueryModule } from '@tre/datasets';
import { NotificationsModule } from '@tre/notifications';
import { OutputsModule } from '@tre/outputs';
import { ProjectsModule } from '@tre/projects';
import { TrustModule } from '@tre/trust';
import {
  WorkspaceLoadingModule,
  WorkspaceSessionsModule,
  WorkspaceSettingsModule,
  WorkspacesModule,
} from '@tre/workspaces';
import { AuditController } from './audit/audit.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation.pipe';
import { DatasetsController } from './datasets/datasets.controller';
import { OptOutsController } from './optouts/optouts.controller';
import { ProjectReviewController } from './projects/project-review.controller';
import { ProjectsController } from './projects/projects.controller';
import { PatientsController } from './patients/patients.controller';
import { LegalHoldController } from './retention/legal-hold.controller';
import { RegisterController } from './register/register.controller';
import { TransparencyController } from './transparency/transparency.controller';
import { ExtractsController } from './extracts/extracts.controller';
import { WorkspaceLoadController } from './workspace-load/workspace-load.controller';
import { OutputDownloadsController, OutputReviewController } from './outputs/output-review.controller';
import { OutputIntakeController } from './output-intake/output-intake.controller';
import { OutputListingIntakeController } from './output-intake/output-listing-intake.controller';
import { OutputsController } from './outputs/outputs.controller';
import { WorkspaceOutputsController } from './workspace-outputs/workspace-outputs.controller';
import { WorkspaceOutputsService } from './workspace-outputs/workspace-outputs.service';
import { RateLimitGuard } from './common/rate-limit.guard';
import { RedisThrottlerStorage } from './common/redis-throttler.storage';
import { HealthController } from './health/health.controller';
import { PostgresHealthIndicator } from './health/postgres.health';
import { RedisHealthIndicator } from './health/redis.health';
import { MeController } from './me/me.controller';
import { WorkspaceOptionsController } from './workspaces/workspace-options.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { DevSignInController } from './dev-sign-in/dev-sign-in.controller';
import { WebAppController } from './web-app/web-app.controller';
import { WebConfigController } from './web-app/web-config.controller';
import { GatewayController } from './sessions/gateway.controller';
import { SessionsController } from './sessions/sessions.controller';
import { AccreditationsController } from './accreditations/accreditations.controller';
import { MetricsServer } from './metrics/metrics-server';
import { ApiMetrics } from './metrics/metrics.service';
import { Drain } from './shutdown/drain';
import { ChangeFeed } from './read-cache/change-feed';
import { ReadCacheInterceptor } from './read-cache/read-cache.interceptor';
import { ReadCacheMetrics } from './read-cache/read-cache-metrics';

@Module({
  imports: [
    PlatformModule,
    DiscoveryModule,
    TerminusModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // The access gateway asks on behalf of every session it carries, from one address: its routes have a
        // budget of their own, and people's budget does not count them.
        throttlers: [
          {
            name: 'default',
            ttl: 60_000,
            limit: config.rateLimitPerMinute,
            skipIf: (context) => context.getClass() === GatewayController,
          },
          {
            name: 'gateway',
            ttl: 60_000,
            limit: config.gatewayRateLimitPerMinute,
            skipIf: (context) => context.getClass() !== GatewayController,
          },
        ],
        // One budget per client address across every route (the guard's default key adds the route, which
        // lets one address make the limit's worth of requests on each route).
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
      }),
    }),
    AuditModule,
    AuthModule,
    DatasetsModule,
    WorkspaceSettingsModule,
    ProjectsModule,
    ExtractQueryModule,
    WorkspaceLoadingModule,
    OutputsModule,
    WorkspacesModule,
    WorkspaceSessionsModule,
    TrustModule,
    NotificationsModule,
  ],
  controllers: [
    HealthController,
    MeController,
    NotificationsController,
    AuditController,
    DatasetsController,
    OptOutsController,
    ProjectsController,
    ProjectReviewController,
    RegisterController,
    PatientsController,
    LegalHoldController,
    TransparencyController,
    ExtractsController,
    WorkspaceLoadController,
    OutputsController,
    OutputIntakeController,
    OutputListingIntakeController,
    WorkspaceOutputsController,
    OutputReviewController,
    OutputDownloadsController,
    WorkspacesController,
    WorkspaceOptionsController,
    SessionsController,
    AccreditationsController,
    GatewayController,
    DevSignInController,
    WebConfigController,
    // Last: its catch-all of /app/* must not shadow an API route.
    WebAppController,
  ],
  providers: [
    Drain,
    ApiMetrics,
    WorkspaceOutputsService,
    MetricsServer,
    PostgresHealthIndicator,
    RedisHealthIndicator,
    // The guard takes its counts from Redis, shared by every replica (see RedisThrottlerStorage).
    RedisThrottlerStorage,
    { provide: ThrottlerStorage, useExisting: RedisThrottlerStorage },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // The read cache of @CachedRead routes; an interceptor, so it runs after the guards on every request.
    ChangeFeed,
    ReadCacheMetrics,
    ReadCacheInterceptor,
    { provide: APP_INTERCEPTOR, useExisting: ReadCacheInterceptor },
  ],
})
export class AppModule {}
