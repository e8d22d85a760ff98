import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, JobQueue, NotFoundError } from '@tre/core';
import { pendingStep, type CollectorGrantLedger, type WorkspaceStep } from '@tre/workspaces';
import { isProjectMember } from '../services/output-access';
import { OutputLifecycle } from '../services/output-lifecycle';
import type { CollectItem, CollectItemResult } from './collect-grant.entity';
import { CollectGrantsService } from './collect-grants.service';
import { markCleanedUpByReconciler, unfinishedCleanUpGrants } from './collector-run';
import { OutputListingsService } from './output-listings.service';
import {
  COLLECTION_STEP_NAMES,
  OutputCollectionEntity,
  type CollectionState,
} from './output-collection.entity';

/** A collection as members see it: the worker's steps as they happen, then each file's result. */
export interface OutputCollectionView {
  readonly id: string;
  readonly requestId: string;
  readonly workspaceId: string;
  readonly runner: 'kubernetes' | 'local-process';
  readonly state: CollectionState;
  readonly settled: boolean;
  readonly steps: WorkspaceStep[];
  /** Each file asked for, with its result once the collection has settled. */
  readonly items: {
    readonly path: string;
    readonly recordPath: string | null;
    readonly result: CollectItemResult | null;
  }[];
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface CollectionScope {
  readonly requestId: string;
  readonly projectId: string;
  readonly workspaceId: string;
  readonly requestedBy: string;
  readonly items: readonly CollectItem[];
}

const UNIQUE_VIOLATION = '23505';

export function collectionView(collection: OutputCollectionEntity): OutputCollectionView {
  return {
    id: collection.id,
    requestId: collection.requestId,
    workspaceId: collection.workspaceId,
    runner: collection.runner,
    state: collection.state,
    settled: collection.state === 'succeeded' || collection.state === 'failed',
    steps: collection.steps,
    items: collection.items.map((item, index) => ({
      path: item.path,
      recordPath: item.recordPath,
      result: collection.results?.[index] ?? null,
    })),
    error: collection.error,
    createdAt: collection.createdAt.toISOString(),
    finishedAt: collection.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Collections of output requests: queued here by the API (one unsettled per request), run by the worker's
 * OutputCollectionRunner, read by members while they run. Also the reconciler's ledger of collector grants
 * (collections' and, through OutputListingsService, listings'), so a worker that died mid-run leaves nothing
 * behind for long.
 */
@Injectable()
export class OutputCollectionsService implements CollectorGrantLedger {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: OutputLifecycle,
    private readonly grants: CollectGrantsService,
    private readonly jobs: JobQueue,
    private readonly listings: OutputListingsService,
  ) {}

  /** Records a queued collection in the cluster and hands it to the worker; 409 while another is unsettled. */
  async start(scope: CollectionScope): Promise<OutputCollectionEntity> {
    const repository = this.dataSource.getRepository(OutputCollectionEntity);
    let collection: OutputCollectionEntity;
    try {
      collection = await repository.save(
        repository.create({
          requestId: scope.requestId,
          projectId: scope.projectId,
          workspaceId: scope.workspaceId,
          requestedBy: scope.requestedBy,
          runner: 'kubernetes',
          state: 'queued',
          items: [...scope.items],
          steps: COLLECTION_STEP_NAMES.map(pendingStep),
          results: null,
          grantId: null,
          error: null,
          finishedAt: null,
        }),
      );
    } catch (error: unknown) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      )
        throw new ConflictError(
          'a collection of this request is still running: wait for it to settle before adding another file',
        );
      throw error;
    }
    try {
      await this.jobs.enqueue('outputs.collect', { collectionId: collection.id });
    } catch (error: unknown) {
      // Nothing will run it: settle it now rather than leave the request blocked behind it.
      await this.settle(
        collection.id,
        'failed',
        null,
        'the job queue did not take the collection; try again',
      );
      throw error;
    }
    return collection;
  }

  /**
   * Records a collection a local process ran at once (no cluster attached), settled, so both runners leave
   * the same record: one step saying where it ran, and each file's result.
   */
  async recordLocal(
    scope: CollectionScope,
    grantId: string,
    results: CollectItemResult[],
    note: string,
  ): Promise<OutputCollectionEntity> {
    const now = new Date();
    const refused = results.flatMap((r, i) =>
      r.status === 'failed' ? [`${scope.items[i]?.path}: ${r.reason}`] : [],
    );
    const repository = this.dataSource.getRepository(OutputCollectionEntity);
    return repository.save(
      repository.create({
        ...scope,
        items: [...scope.items],
        runner: 'local-process',
        state: refused.length === 0 ? 'succeeded' : 'failed',
        steps: [
          {
            ...pendingStep('local-process'),
            state: 'done',
            attempts: 1,
            startedAt: now.toISOString(),
            finishedAt: now.toISOString(),
            note,
          },
        ],
        results,
        grantId,
        error: refused.join('; ').slice(0, 1000) || null,
        finishedAt: now,
      }),
    );
  }

  /** A collection of a request the caller is a member of (404 otherwise, as for the request itself). */
  async view(
    user: AuthenticatedUser,
    requestId: string,
    collectionId: string,
  ): Promise<OutputCollectionView> {
    const { project } = await this.dataSource.transaction((manager) =>
      this.lifecycle.load(manager, requestId, user),
    );
    if (!isProjectMember(project, user)) throw new NotFoundError('Output request', requestId);
    const collection = await this.dataSource
      .getRepository(OutputCollectionEntity)
      .findOneBy({ id: collectionId, requestId });
    if (!collection) throw new NotFoundError('Collection', collectionId);
    return collectionView(collection);
  }

  byId(collectionId: string): Promise<OutputCollectionEntity | null> {
    return this.dataSource.getRepository(OutputCollectionEntity).findOneBy({ id: collectionId });
  }

  /** Ends a collection (once): its state, each item's result and the first reason it failed. */
  async settle(
    collectionId: string,
    state: 'succeeded' | 'failed',
    results: CollectItemResult[] | null,
    error: string | null,
  ): Promise<void> {
    await this.dataSource
      .getRepository(OutputCollectionEntity)
      .update(
        { id: collectionId, state: In(['queued', 'running']) },
        { state, results, error: error?.slice(0, 1000) ?? null, finishedAt: new Date() },
      );
  }

  grantsInUse(grantIds: readonly string[]): Promise<Set<string>> {
    return this.grants.grantsInUse(grantIds);
  }

  /** Grants of this workspace's collections and listings whose clean-up step never finished. */
  async unfinishedCleanUps(workspaceId: string): Promise<string[]> {
    const listings = await this.listings.unfinishedCleanUps(workspaceId);
    return [
      ...(await unfinishedCleanUpGrants(this.dataSource, 'output_collections', workspaceId)),
      ...listings,
    ];
  }

  /**
   * The reconciler removed these grants' objects. A settled collection's clean-up is then done; one still
   * marked running whose grant has expired lost its worker (the worker's own wait ends before the grant
   * expires), so it fails, keeping what the collector stored and naming what it did not.
   */
  async cleanedUp(grantIds: readonly string[]): Promise<void> {
    if (grantIds.length === 0) return;
    await this.listings.cleanedUp(grantIds);
    const collections = await this.dataSource
      .getRepository(OutputCollectionEntity)
      .findBy({ grantId: In([...grantIds]) });
    for (const collection of collections) {
      const grant = await this.grants.byId(collection.grantId ?? '');
      if (collection.state === 'queued' || collection.state === 'running') {
        if (grant && grant.expiresAt.getTime() > Date.now()) continue;
        const reason = 'the worker running this collection stopped; the reconciler removed its Job';
        await this.settle(
          collection.id,
          'failed',
          collection.items.map(
            (_item, i): CollectItemResult => grant?.results[String(i)] ?? { status: 'failed', reason },
          ),
          reason,
        );
      }
      await markCleanedUpByReconciler(this.dataSource, 'output_collections', collection.id);
    }
  }
}
