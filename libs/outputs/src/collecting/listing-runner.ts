import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import {
  CLUSTER_DRIVER,
  LIVE_STATES,
  WORKSPACE_SETTINGS,
  WorkspaceEntity,
  type ClusterDriver,
  type StepRunnerOptions,
  type WorkspaceSettings,
} from '@tre/workspaces';
import { CollectGrantsService } from './collect-grants.service';
import { workspaceSpecOf } from './collection-runner';
import type { CollectionContext } from './collection-steps';
import { runCollectorSteps } from './collector-run';
import { OutputListingEntity } from './output-listing.entity';
import { OutputListingsService } from './output-listings.service';

/**
 * The worker's side of a listing in the cluster: the collector's steps in list mode (a grant scoped to this
 * listing, its Secret, the path out, the Job, the wait) recorded on the listing, clean-up whatever happened,
 * then the outcome: the listing the collector reported, or the reason there is none.
 */
@Injectable()
export class OutputListingRunner {
  private readonly logger = new Logger(OutputListingRunner.name);
  /** Shorter waits in tests; production uses the defaults. */
  pollMs = 1_000;
  graceMs = 30_000;
  runnerOptions?: StepRunnerOptions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKSPACE_SETTINGS) private readonly settings: WorkspaceSettings,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly grants: CollectGrantsService,
    private readonly listings: OutputListingsService,
  ) {}

  async run(listingId: string): Promise<'succeeded' | 'failed' | 'nothing to do'> {
    const [claimed] = await this.dataSource.query<{ id: string }[]>(
      `UPDATE "output_listings" SET "state" = 'running', "updated_at" = now()
        WHERE "id" = $1 AND "state" IN ('queued', 'running') AND "runner" = 'kubernetes' RETURNING "id"`,
      [listingId],
    );
    const listing = claimed ? await this.listings.byId(listingId) : null;
    if (!listing) return 'nothing to do';
    const workspace = await this.dataSource
      .getRepository(WorkspaceEntity)
      .findOneBy({ id: listing.workspaceId });
    if (!workspace || !LIVE_STATES.includes(workspace.state)) {
      const reason = `the workspace is ${workspace?.state ?? 'gone'}: its outputs volume cannot be read`;
      await this.listings.settle(listing.id, 'failed', reason);
      return 'failed';
    }
    const context: CollectionContext = {
      target: { listingId: listing.id },
      issue: async (origin, ttlSeconds) => ({
        ...(await this.grants.issueForListing(
          { listingId: listing.id, projectId: listing.projectId, requestedBy: listing.requestedBy, origin },
          ttlSeconds,
        )),
        covers: 'one listing of the outputs folder',
      }),
      spec: workspaceSpecOf(workspace),
      namespace: workspace.namespace,
      settings: this.settings,
      driver: this.driver,
      grants: this.grants,
      deadlineSeconds: this.config.outputCollectDeadlineSeconds,
      graceMs: this.graceMs,
      pollMs: this.pollMs,
      grantId: listing.grantId,
      onGrant: async (grantId) => {
        await this.dataSource.getRepository(OutputListingEntity).update({ id: listing.id }, { grantId });
      },
    };
    const ran = await runCollectorSteps(
      this.dataSource,
      'output_listings',
      listing.id,
      context,
      this.logger,
      this.runnerOptions,
    );
    if (ran.superseded) return 'nothing to do';
    // The intake wrote what the collector reported (or why it refused it) on the listing.
    const reported = await this.listings.byId(listing.id);
    if (reported?.listing && !reported.error && !ran.failure) {
      await this.listings.settle(listing.id, 'succeeded', null);
      return 'succeeded';
    }
    await this.listings.settle(
      listing.id,
      'failed',
      reported?.error ?? ran.failure ?? 'the collector reported no listing',
    );
    return 'failed';
  }
}
