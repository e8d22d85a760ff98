import { Injectable } from '@nestjs/common';
import type { CollectionContext } from './collection-steps';
import { CollectorJobDeps, CollectorJobRunner, type IssuedGrant } from './collector-job-runner';
import { OutputListingEntity } from './output-listing.entity';
import { OutputListingsService } from './output-listings.service';

/**
 * The worker's side of a listing in the cluster: the collector's steps in list mode (a grant scoped to this
 * listing, its Secret, the path out, the Job, the wait) recorded on the listing, clean-up whatever happened,
 * then the outcome: the listing the collector reported, or the reason there is none.
 */
@Injectable()
export class OutputListingRunner extends CollectorJobRunner<OutputListingEntity> {
  protected readonly table = 'output_listings';

  constructor(
    deps: CollectorJobDeps,
    private readonly listings: OutputListingsService,
  ) {
    super(deps);
  }

  protected load(id: string): Promise<OutputListingEntity | null> {
    return this.listings.byId(id);
  }

  protected target(listing: OutputListingEntity): CollectionContext['target'] {
    return { listingId: listing.id };
  }

  protected async issueGrant(
    listing: OutputListingEntity,
    origin: Parameters<CollectionContext['issue']>[0],
    ttlSeconds: number,
  ): Promise<IssuedGrant> {
    const { id: listingId, projectId, requestedBy } = listing;
    const issued = await this.grants.issueForListing(
      { listingId, projectId, requestedBy, origin },
      ttlSeconds,
    );
    return { ...issued, covers: 'one listing of the outputs folder' };
  }

  protected async settleUnreadable(listing: OutputListingEntity, reason: string): Promise<void> {
    await this.listings.settle(listing.id, 'failed', reason);
  }

  protected async settleRan(
    listing: OutputListingEntity,
    failure: string | undefined,
  ): Promise<'succeeded' | 'failed'> {
    // The intake wrote what the collector reported (or why it refused it) on the listing.
    const reported = await this.listings.byId(listing.id);
    if (reported?.listing && !reported.error && !failure) {
      await this.listings.settle(listing.id, 'succeeded', null);
      return 'succeeded';
    }
    await this.listings.settle(
      listing.id,
      'failed',
      reported?.error ?? failure ?? 'the collector reported no listing',
    );
    return 'failed';
  }
}
