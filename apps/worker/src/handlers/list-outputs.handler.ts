import { Injectable } from '@nestjs/common';
import { OutputListingRunner, OutputListingsService } from '@tre/outputs';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** Runs one listing in the cluster: grant, Secret, path out, collector Job in list mode, wait, clean-up always. */
@Injectable()
@HandlesJob('outputs.list')
export class ListOutputsHandler implements JobHandler<'outputs.list'> {
  constructor(
    private readonly runner: OutputListingRunner,
    private readonly listings: OutputListingsService,
  ) {}

  async handle({ listingId }: { listingId: string }, attempt: JobAttempt): Promise<void> {
    await attempt.progress(100, await this.runner.run(listingId));
  }

  /** An error outside the steps (the database, say): the listing ends failed rather than stay queued. */
  async onFinalFailure({ listingId }: { listingId: string }, error: Error): Promise<void> {
    await this.listings.settle(listingId, 'failed', error.message);
  }
}
