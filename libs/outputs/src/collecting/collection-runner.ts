import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import {
  CLUSTER_DRIVER,
  LIVE_STATES,
  OperationSuperseded,
  WORKSPACE_SETTINGS,
  WorkspaceEntity,
  runSteps,
  type ClusterDriver,
  type StepJournal,
  type StepRunnerOptions,
  type WorkspaceSettings,
  type WorkspaceStep,
} from '@tre/workspaces';
import type { CollectItemResult } from './collect-grant.entity';
import { CollectGrantsService } from './collect-grants.service';
import { CLEAN_UP_STEP, COLLECTION_STEPS, type CollectionContext } from './collection-steps';
import { COLLECTION_STEP_NAMES, OutputCollectionEntity } from './output-collection.entity';
import { OutputCollectionsService } from './output-collections.service';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The worker's side of a collection in the cluster: the steps of collection-steps.ts run and recorded on the
 * collection (as provisioning records a workspace's), then clean-up whatever happened, then each file's
 * result: what the collector reported to the intake, or the reason the Job gave for the rest. One attempt; a
 * worker that resumes a collection another began skips the steps recorded done.
 */
@Injectable()
export class OutputCollectionRunner {
  private readonly logger = new Logger(OutputCollectionRunner.name);
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
    private readonly collections: OutputCollectionsService,
  ) {}

  async run(collectionId: string): Promise<'succeeded' | 'failed' | 'nothing to do'> {
    const [claimed] = await this.dataSource.query<{ id: string }[]>(
      `UPDATE "output_collections" SET "state" = 'running', "updated_at" = now()
        WHERE "id" = $1 AND "state" IN ('queued', 'running') AND "runner" = 'kubernetes' RETURNING "id"`,
      [collectionId],
    );
    const collection = claimed ? await this.collections.byId(collectionId) : null;
    if (!collection) return 'nothing to do';
    const workspace = await this.dataSource
      .getRepository(WorkspaceEntity)
      .findOneBy({ id: collection.workspaceId });
    if (!workspace || !LIVE_STATES.includes(workspace.state)) {
      const reason = `the workspace is ${workspace?.state ?? 'gone'}: its outputs volume cannot be read`;
      await this.collections.settle(collection.id, 'failed', this.failAll(collection, reason), reason);
      return 'failed';
    }
    const context: CollectionContext = {
      collectionId: collection.id,
      requestId: collection.requestId,
      projectId: collection.projectId,
      requestedBy: collection.requestedBy,
      items: collection.items,
      spec: {
        workspaceId: workspace.id,
        projectId: workspace.projectId,
        size: workspace.size,
        tool: workspace.tool,
      },
      namespace: workspace.namespace,
      settings: this.settings,
      driver: this.driver,
      grants: this.grants,
      deadlineSeconds: this.config.outputCollectDeadlineSeconds,
      graceMs: this.graceMs,
      pollMs: this.pollMs,
      grantId: collection.grantId,
      onGrant: async (grantId) => {
        await this.dataSource
          .getRepository(OutputCollectionEntity)
          .update({ id: collection.id }, { grantId });
      },
    };
    const attempt = { attempt: 1, maxAttempts: 1, retryDelaySeconds: 1 };
    let failure: string | undefined;
    try {
      await runSteps(COLLECTION_STEPS, this.journal(collection.id, 0), context, attempt, this.runnerOptions);
    } catch (error: unknown) {
      if (error instanceof OperationSuperseded) return 'nothing to do';
      failure = context.jobFailure ?? messageOf(error).replace(/^step [\w-]+: /, '');
    }
    try {
      const cleanUpAt = COLLECTION_STEP_NAMES.indexOf('clean-up');
      await runSteps(
        [CLEAN_UP_STEP],
        this.journal(collection.id, cleanUpAt),
        context,
        attempt,
        this.runnerOptions,
      );
    } catch (error: unknown) {
      // Recorded on the step; the reconciler removes what is left once the grant is dead.
      this.logger.warn({ collectionId, err: messageOf(error) }, 'A collection could not clean up');
    }
    const grant = context.grantId ? await this.grants.byId(context.grantId) : null;
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

  private failAll(collection: OutputCollectionEntity, reason: string): CollectItemResult[] {
    return collection.items.map(() => ({ status: 'failed', reason }));
  }

  /** The collection's steps from `offset` on, updated in place while the collection is running. */
  private journal(collectionId: string, offset: number): StepJournal {
    return {
      steps: async () => {
        const collection = await this.collections.byId(collectionId);
        if (collection?.state !== 'running')
          throw new OperationSuperseded(`collection ${collectionId} is no longer running`);
        return collection.steps.slice(offset);
      },
      update: async (index: number, patch: Partial<WorkspaceStep>) => {
        const at = index + offset;
        const [, changed] = await this.dataSource.query<[unknown[], number]>(
          `UPDATE "output_collections"
              SET "steps" = jsonb_set("steps", ARRAY[$2::text], ("steps" -> $2::int) || $3::jsonb), "updated_at" = now()
            WHERE "id" = $1 AND "state" = 'running' AND jsonb_array_length("steps") > $2::int`,
          [collectionId, at, JSON.stringify(patch)],
        );
        if (changed === 0) throw new OperationSuperseded(`collection ${collectionId} is no longer running`);
      },
    };
  }
}
