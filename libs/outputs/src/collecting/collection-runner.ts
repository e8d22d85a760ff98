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
  type WorkspaceSpec,
} from '@tre/workspaces';
import type { CollectItemResult } from './collect-grant.entity';
import { CollectGrantsService } from './collect-grants.service';
import type { CollectionContext } from './collection-steps';
import { runCollectorSteps } from './collector-run';
import { OutputCollectionEntity } from './output-collection.entity';
import { OutputCollectionsService } from './output-collections.service';

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
      target: { requestId: collection.requestId },
      issue: async (origin, ttlSeconds) => ({
        ...(await this.grants.issue(
          {
            requestId: collection.requestId,
            projectId: collection.projectId,
            requestedBy: collection.requestedBy,
            items: collection.items,
            origin,
          },
          ttlSeconds,
        )),
        covers: `${collection.items.length} path(s)`,
      }),
      spec: workspaceSpecOf(workspace),
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
    const ran = await runCollectorSteps(
      this.dataSource,
      'output_collections',
      collection.id,
      context,
      this.logger,
      this.runnerOptions,
    );
    if (ran.superseded) return 'nothing to do';
    const failure = ran.failure;
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
}

/** The workspace as its row says it is, with the namespace the row names (not one derived from the prefix). */
export function workspaceSpecOf(workspace: WorkspaceEntity): WorkspaceSpec & { namespace: string } {
  return {
    workspaceId: workspace.id,
    projectId: workspace.projectId,
    size: workspace.size,
    tool: workspace.tool,
    namespace: workspace.namespace,
  };
}
