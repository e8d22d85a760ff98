import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError } from 'typeorm';
import { ConflictError, DomainError, JobQueue, ValidationError } from '@tre/core';
import {
  CollectPathError,
  RECORD_SUFFIX,
  pathComponents,
  pendingStep,
  type OutputListing,
  type WorkspaceStep,
} from '@tre/workspaces';
import { CollectGrantEntity, type CollectOrigin } from './collect-grant.entity';
import { COLLECTOR_ACTOR, CollectGrantsService, denialOf } from './collect-grants.service';
import {
  COLLECTOR_RUN_STEP_NAMES,
  markCleanedUpByReconciler,
  unfinishedCleanUpGrants,
} from './collector-run';
import type { CollectionState } from './output-collection.entity';
import { OutputListingEntity } from './output-listing.entity';

/** Most files (and, apart, skipped entries) one listing reports: the collector's own walk stops there. */
export const MAX_LISTED_ENTRIES = 1000;
const UNIQUE_VIOLATION = '23505';

/** A listing as members see it: the worker's steps as they happen, then the files once it has succeeded. */
export interface OutputListingView {
  readonly id: string;
  readonly workspaceId: string;
  readonly runner: 'kubernetes' | 'local-process';
  readonly state: CollectionState;
  readonly settled: boolean;
  readonly steps: WorkspaceStep[];
  /** The files found (path, size, modified time, record beside it), once the listing has succeeded. */
  readonly files: OutputListing['files'] | null;
  /** Entries left out (links, FIFOs, devices, sockets) with the reason, once the listing has succeeded. */
  readonly skipped: OutputListing['skipped'] | null;
  readonly truncated: boolean;
  /** Where it was listed: the namespace, the outputs claim's uid and the collector Job's uid. */
  readonly origin: Pick<CollectOrigin, 'namespace' | 'claimUid' | 'jobUid' | 'runner'> | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface ListingScope {
  readonly projectId: string;
  readonly workspaceId: string;
  readonly requestedBy: string;
}

export function listingView(listing: OutputListingEntity): OutputListingView {
  const succeeded = listing.state === 'succeeded';
  const origin = listing.origin;
  return {
    id: listing.id,
    workspaceId: listing.workspaceId,
    runner: listing.runner,
    state: listing.state,
    settled: listing.state === 'succeeded' || listing.state === 'failed',
    steps: listing.steps,
    files: succeeded ? (listing.listing?.files ?? []) : null,
    skipped: succeeded ? (listing.listing?.skipped ?? []) : null,
    truncated: succeeded ? (listing.listing?.truncated ?? false) : false,
    origin: origin
      ? {
          namespace: origin.namespace,
          claimUid: origin.claimUid,
          jobUid: origin.jobUid,
          runner: origin.runner,
        }
      : null,
    error: listing.error,
    createdAt: listing.createdAt.toISOString(),
    finishedAt: listing.finishedAt?.toISOString() ?? null,
  };
}

/** Why a reported listing is not one the collector could have made by its rules, or undefined. */
export function listingProblem(listing: OutputListing): string | undefined {
  if (listing.files.length > MAX_LISTED_ENTRIES || listing.skipped.length > MAX_LISTED_ENTRIES)
    return `a listing holds at most ${MAX_LISTED_ENTRIES} files and ${MAX_LISTED_ENTRIES} skipped entries`;
  const paths = new Set<string>();
  for (const entry of [...listing.files, ...listing.skipped]) {
    try {
      pathComponents(entry.path);
    } catch (error: unknown) {
      if (error instanceof CollectPathError) return `${JSON.stringify(entry.path)}: ${error.reason}`;
      throw error;
    }
    if (paths.has(entry.path)) return `${JSON.stringify(entry.path)} is listed twice`;
    paths.add(entry.path);
  }
  for (const file of listing.files) {
    if (Number.isNaN(Date.parse(file.modifiedAt)))
      return `${JSON.stringify(file.path)}: the modified time is not a date`;
    if (file.recordPath === null) continue;
    if (file.recordPath !== `${file.path}${RECORD_SUFFIX}` || !paths.has(file.recordPath))
      return `${JSON.stringify(file.path)}: its record must be the listed file ${file.path}${RECORD_SUFFIX}`;
  }
  return undefined;
}

/**
 * Listings of workspaces' outputs folders: queued here by the API (one unsettled per workspace), run by the
 * worker's OutputListingRunner as a collector Job in list mode, reported at the listing intake by the Job's
 * one-time token, and read by the workspace's members while they run.
 */
@Injectable()
export class OutputListingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grants: CollectGrantsService,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Queues a listing in the cluster and hands it to the worker. A listing of this workspace already under way
   * is answered instead of a second (`started: false`): everyone asking meanwhile wants the same answer.
   */
  async start(scope: ListingScope): Promise<{ listing: OutputListingEntity; started: boolean }> {
    const repository = this.dataSource.getRepository(OutputListingEntity);
    let listing: OutputListingEntity;
    try {
      listing = await repository.save(
        repository.create({
          ...scope,
          runner: 'kubernetes',
          state: 'queued',
          steps: COLLECTOR_RUN_STEP_NAMES.map(pendingStep),
          listing: null,
          origin: null,
          grantId: null,
          error: null,
          finishedAt: null,
        }),
      );
    } catch (error: unknown) {
      const unique =
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
      const running = unique
        ? await repository.findOneBy({ workspaceId: scope.workspaceId, state: In(['queued', 'running']) })
        : null;
      if (running) return { listing: running, started: false };
      if (unique) throw new ConflictError('a listing of this workspace has just ended: start it again');
      throw error;
    }
    try {
      await this.jobs.enqueue('outputs.list', { listingId: listing.id });
    } catch (error: unknown) {
      await this.settle(listing.id, 'failed', 'the job queue did not take the listing; try again');
      throw error;
    }
    return { listing, started: true };
  }

  /** Records a listing a local process made at once (no cluster attached), settled, as the cluster's would be. */
  async recordLocal(
    scope: ListingScope,
    found: OutputListing,
    origin: CollectOrigin,
    note: string,
  ): Promise<OutputListingEntity> {
    const now = new Date();
    const repository = this.dataSource.getRepository(OutputListingEntity);
    return repository.save(
      repository.create({
        ...scope,
        runner: 'local-process',
        state: 'succeeded',
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
        listing: found,
        origin,
        grantId: null,
        error: null,
        finishedAt: now,
      }),
    );
  }

  byId(listingId: string): Promise<OutputListingEntity | null> {
    return this.dataSource.getRepository(OutputListingEntity).findOneBy({ id: listingId });
  }

  /** The newest listing of the workspace that succeeded, and the one under way if any. */
  async latest(
    workspaceId: string,
  ): Promise<{ succeeded: OutputListingEntity | null; unsettled: OutputListingEntity | null }> {
    const repository = this.dataSource.getRepository(OutputListingEntity);
    const [succeeded, unsettled] = await Promise.all([
      repository.findOne({ where: { workspaceId, state: 'succeeded' }, order: { createdAt: 'DESC' } }),
      repository.findOneBy({ workspaceId, state: In(['queued', 'running']) }),
    ]);
    return { succeeded, unsettled };
  }

  /** Ends a listing (once), with the reason it failed. */
  async settle(listingId: string, state: 'succeeded' | 'failed', error: string | null): Promise<void> {
    await this.dataSource
      .getRepository(OutputListingEntity)
      .update(
        { id: listingId, state: In(['queued', 'running']) },
        { state, error: error?.slice(0, 1000) ?? null, finishedAt: new Date() },
      );
  }

  /**
   * The intake: the collector's listing, under its live grant, checked against the collector's own path rules.
   * Used once: the grant is spent whether the listing is taken or refused, and a refused one fails the listing
   * with the reason (nothing of it is kept).
   */
  async receive(grant: CollectGrantEntity, reported: OutputListing): Promise<{ files: number }> {
    const problem = listingProblem(reported);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const live = await manager.findOne(CollectGrantEntity, {
        where: { id: grant.id },
        lock: { mode: 'pessimistic_write' },
      });
      const listingId = grant.listingId ?? '';
      const denial = live ? denialOf(live, { listingId }) : 'unknown';
      if (!live || denial)
        throw new DomainError('unauthenticated', `The collect token is not valid here (${denial})`);
      if (live.origin.runner === 'kubernetes' && !live.origin.jobUid)
        throw new DomainError('unavailable', 'the listing is being started; try again shortly');
      await manager.update(CollectGrantEntity, { id: live.id }, { spentAt: new Date() });
      const error = problem ? `the intake refused the collector's listing: ${problem}` : null;
      await manager.update(
        OutputListingEntity,
        { id: listingId, state: In(['queued', 'running']) },
        error ? { error } : { listing: reported, origin: live.origin },
      );
      await this.grants.record(
        manager,
        problem ? 'output.listing_refused' : 'output.listing_reported',
        live,
        COLLECTOR_ACTOR,
        problem
          ? { reason: problem.slice(0, 500) }
          : { files: reported.files.length, skipped: reported.skipped.length, truncated: reported.truncated },
      );
      return error;
    });
    if (outcome) throw new ValidationError(outcome);
    return { files: reported.files.length };
  }

  /** Grants of this workspace's listings whose clean-up step never finished (the reconciler's ledger). */
  async unfinishedCleanUps(workspaceId: string): Promise<string[]> {
    return unfinishedCleanUpGrants(this.dataSource, 'output_listings', workspaceId);
  }

  /**
   * The reconciler removed these grants' objects: a listing's clean-up is then done, and one still running
   * whose grant is dead lost its worker, so it fails (or succeeds, if the collector had reported).
   */
  async cleanedUp(grantIds: readonly string[]): Promise<void> {
    if (grantIds.length === 0) return;
    const listings = await this.dataSource
      .getRepository(OutputListingEntity)
      .findBy({ grantId: In([...grantIds]) });
    for (const listing of listings) {
      const grant = await this.grants.byId(listing.grantId ?? '');
      if (listing.state === 'queued' || listing.state === 'running') {
        // The worker's own wait ends before the grant expires: until then it may still settle the listing.
        if (grant && grant.expiresAt.getTime() > Date.now()) continue;
        if (listing.listing && !listing.error) await this.settle(listing.id, 'succeeded', null);
        else
          await this.settle(
            listing.id,
            'failed',
            listing.error ?? 'the worker running this listing stopped; the reconciler removed its Job',
          );
      }
      await markCleanedUpByReconciler(this.dataSource, 'output_listings', listing.id);
    }
  }
}
