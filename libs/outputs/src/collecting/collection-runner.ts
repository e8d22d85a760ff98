import { Injectable } from '@nestjs/common';
import type { CollectItemResult } from './collect-grant.entity';
import type { CollectionContext } from './collection-steps';
import { CollectorJobDeps, CollectorJobRunner, type IssuedGrant } from './collector-job-runner';
import { OutputCollectionEntity } from './output-collection.entity';
import { OutputCollectionsService } from './output-collections.service';

/**
 * The worker's side of a collection in the cluster: the steps of collection-steps.ts run and recorded on the
 * collection (as provisioning records a workspace's), then clean-up whatever happened, then each file's
 * result: what the collector reported to the intake, or the reason the Job gave for the rest. One attempt; a
 * worker that resumes a collection another began skips the steps recorded done.
 */
@Injectable()
export class OutputCollectionRunner extends CollectorJobRunner<OutputCollectionEntity> {
  protected readonly table = 'output_collections';

  constructor(
    deps: CollectorJobDeps,
    private readonly collections: OutputCollectionsService,
  ) {
    super(deps);
  }

  protected load(id: string): Promise<OutputCollectionEntity | null> {
    return this.collections.byId(id);
  }

  protected target(collection: OutputCollectionEntity): CollectionContext['target'] {
    return { requestId: collection.requestId };
  }

  protected async issueGrant(
    collection: OutputCollectionEntity,
    origin: Parameters<CollectionContext['issue']>[0],
    ttlSeconds: number,
  ): Promise<IssuedGrant> {
    const { requestId, projectId, requestedBy, items } = collection;
    const issued = await this.grants.issue({ requestId, projectId, requestedBy, items, origin }, ttlSeconds);
    return { ...issued, covers: `${items.length} path(s)` };
  }

  protected async settleUnreadable(collection: OutputCollectionEntity, reason: string): Promise<void> {
    const results = collection.items.map((): CollectItemResult => ({ status: 'failed', reason }));
    await this.collections.settle(collection.id, 'failed', results, reason);
  }

  protected async settleRan(
    collection: OutputCollectionEntity,
    failure: string | undefined,
    grantId: string | null,
  ): Promise<'succeeded' | 'failed'> {
    const grant = grantId ? await this.grants.byId(grantId) : null;
    const results = collection.items.map(
      (_item, index): CollectItemResult =>
        grant?.results[String(index)] ?? {
          status: 'failed',
          reason: failure ?? 'the collector did not report this file',
        },
    );
    const refused = results.flatMap((r, i) =>
      r.status === 'failed' ? [`${collection.items[i]?.path}: ${r.reason}`] : [],
    );
    const state = refused.length === 0 ? 'succeeded' : 'failed';
    await this.collections.settle(collection.id, state, results, failure ?? (refused.join('; ') || null));
    return state;
  }
}
