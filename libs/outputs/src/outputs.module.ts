import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { authSchemeToken } from '@tre/auth';
import { APP_CONFIG } from '@tre/core';
import { ProjectsModule } from '@tre/projects';
import { COLLECTOR_GRANT_LEDGER } from '@tre/workspaces';
import { CollectGrantsService } from './collecting/collect-grants.service';
import { COLLECT_TOKEN_SCHEME, CollectTokenAuthenticator } from './collecting/collect-token-auth';
import { OutputCollectionRunner } from './collecting/collection-runner';
import { CollectorJobDeps } from './collecting/collector-job-runner';
import { OutputCollectionsService } from './collecting/output-collections.service';
import { OutputIntakeService } from './collecting/output-intake.service';
import { LIST_TOKEN_SCHEME, ListTokenAuthenticator } from './collecting/list-token-auth';
import { OutputListingRunner } from './collecting/listing-runner';
import { OutputListingsService } from './collecting/output-listings.service';
import { OUTPUT_ENTITIES } from './entities';
import { ExtractEvidenceService } from './services/extract-evidence.service';
import { OutputCommentService } from './services/output-comment.service';
import { OutputCheckService } from './services/output-check.service';
import { OutputLifecycle } from './services/output-lifecycle';
import { OutputReaderService } from './services/output-reader.service';
import { OutputReleaseService } from './services/output-release.service';
import { OutputRequestService } from './services/output-request.service';
import { OutputReviewService } from './services/output-review.service';
import { BlindReviewSeal } from './services/output-visibility';
import { objectStoreFor, OUTPUTS_SETTINGS, outputsSettings } from './services/outputs-config';
import { ObjectStore } from './store/object-store';

/**
 * The airlock: requests, automated checks, blind reviews, releases and the ledger. Global for one seam only:
 * the workspaces' reconciler finds COLLECTOR_GRANT_LEDGER here to remove the collector objects of dead grants
 * (libs/workspaces cannot import this library, which depends on it). Needs WorkspaceSettingsModule (global).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(OUTPUT_ENTITIES), AuditModule, ProjectsModule],
  providers: [
    { provide: OUTPUTS_SETTINGS, inject: [APP_CONFIG], useFactory: outputsSettings },
    { provide: ObjectStore, inject: [APP_CONFIG], useFactory: objectStoreFor },
    OutputLifecycle,
    OutputRequestService,
    OutputCheckService,
    ExtractEvidenceService,
    OutputReviewService,
    OutputReleaseService,
    OutputReaderService,
    OutputCommentService,
    BlindReviewSeal,
    CollectGrantsService,
    OutputIntakeService,
    OutputCollectionsService,
    CollectorJobDeps,
    OutputCollectionRunner,
    { provide: COLLECTOR_GRANT_LEDGER, useExisting: OutputCollectionsService },
    CollectTokenAuthenticator,
    { provide: authSchemeToken(COLLECT_TOKEN_SCHEME), useExisting: CollectTokenAuthenticator },
    OutputListingsService,
    OutputListingRunner,
    ListTokenAuthenticator,
    { provide: authSchemeToken(LIST_TOKEN_SCHEME), useExisting: ListTokenAuthenticator },
  ],
  exports: [
    CollectGrantsService,
    OutputIntakeService,
    OutputCollectionsService,
    OutputCollectionRunner,
    COLLECTOR_GRANT_LEDGER,
    authSchemeToken(COLLECT_TOKEN_SCHEME),
    OutputListingsService,
    OutputListingRunner,
    authSchemeToken(LIST_TOKEN_SCHEME),
    OutputRequestService,
    OutputCheckService,
    OutputReviewService,
    OutputReleaseService,
    OutputReaderService,
    OutputCommentService,
    OUTPUTS_SETTINGS,
  ],
})
export class OutputsModule {}
