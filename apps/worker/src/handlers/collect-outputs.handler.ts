import { Injectable } from '@nestjs/common';
import { OutputCollectionRunner, OutputCollectionsService } from '@tre/outputs';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** Runs one collection in the cluster: grant, Secret, path out, collector Job, wait, then clean-up always. */
@Injectable()
@HandlesJob('outputs.collect')
export class CollectOutputsHandler implements JobHandler<'outputs.collect'> {
  constructor(
    private readonly runner: OutputCollectionRunner,
    private readonly collections: OutputCollectionsService,
  ) {}

  async handle({ collectionId }: { collectionId: string }, attempt: JobAttempt): Promise<void> {
    await attempt.progress(100, await this.runner.run(collectionId));
  }

  /** An error outside the steps (the database, say): the collection ends failed rather than stay queued. */
  async onFinalFailure({ collectionId }: { collectionId: string }, error: Error): Promise<void> {
    await this.collections.settle(collectionId, 'failed', null, error.message);
  }
}
