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
  workspaceSpecOf,
} from '@tre/workspaces';
import { CollectGrantsService } from './collect-grants.service';
import type { CollectionContext } from './collection-steps';
import { runCollectorSteps, type CollectorRunTable } from './collector-run';

/** What a collector run's row holds that the shared part needs. */
export interface CollectorRunRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly grantId: string | null;
}

export type CollectorRunOutcome = 'succeeded' | 'failed' | 'nothing to do';

/** The grant a run's Job carries, with what it covers for the step's note. */
export type IssuedGrant = Awaited<ReturnType<CollectionContext['issue']>>;

/** What every collector run needs from the rest of the service, injected once for both modes. */
@Injectable()
export class CollectorJobDeps {
  constructor(
    @Inject(APP_CONFIG) readonly config: AppConfig,
    @InjectDataSource() readonly dataSource: DataSource,
    @Inject(WORKSPACE_SETTINGS) readonly settings: WorkspaceSettings,
    @Inject(CLUSTER_DRIVER) readonly driver: ClusterDriver,
    readonly grants: CollectGrantsService,
  ) {}
}

/**
 * The worker's side of a collector run in the cluster, whichever mode: claim the row, find the workspace its row
 * names, run the collector's steps recorded on the row (collector-run.ts), then settle. A collection (add mode)
 * and a listing (list mode) differ only in their table, the grant they issue and how they settle, which each
 * subclass states; everything else lives here once.
 */
export abstract class CollectorJobRunner<Row extends CollectorRunRow> {
  protected readonly logger = new Logger(this.constructor.name);
  /** Shorter waits in tests; production uses the defaults. */
  pollMs = 1_000;
  graceMs = 30_000;
  runnerOptions?: StepRunnerOptions;

  protected abstract readonly table: CollectorRunTable;

  protected readonly dataSource: DataSource;
  protected readonly grants: CollectGrantsService;

  protected constructor(private readonly deps: CollectorJobDeps) {
    this.dataSource = deps.dataSource;
    this.grants = deps.grants;
  }

  /** The run's row, once claimed. */
  protected abstract load(id: string): Promise<Row | null>;
  /** What the Job serves (a request's paths or a listing). */
  protected abstract target(row: Row): CollectionContext['target'];
  protected abstract issueGrant(
    row: Row,
    origin: Parameters<CollectionContext['issue']>[0],
    ttlSeconds: number,
  ): Promise<IssuedGrant>;
  /** Settles a run whose workspace can no longer be read, with the reason. */
  protected abstract settleUnreadable(row: Row, reason: string): Promise<void>;
  /** Settles a run whose steps ran, with the steps' failure if there was one and the grant it ran under. */
  protected abstract settleRan(
    row: Row,
    failure: string | undefined,
    grantId: string | null,
  ): Promise<'succeeded' | 'failed'>;

  async run(id: string): Promise<CollectorRunOutcome> {
    const [claimed] = await this.dataSource.query<{ id: string }[]>(
      `UPDATE "${this.table}" SET "state" = 'running', "updated_at" = now()
        WHERE "id" = $1 AND "state" IN ('queued', 'running') AND "runner" = 'kubernetes' RETURNING "id"`,
      [id],
    );
    const row = claimed ? await this.load(id) : null;
    if (!row) return 'nothing to do';
    const workspace = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: row.workspaceId });
    if (!workspace || !LIVE_STATES.includes(workspace.state)) {
      await this.settleUnreadable(
        row,
        `the workspace is ${workspace?.state ?? 'gone'}: its outputs volume cannot be read`,
      );
      return 'failed';
    }
    const context: CollectionContext = {
      target: this.target(row),
      issue: (origin, ttlSeconds) => this.issueGrant(row, origin, ttlSeconds),
      spec: workspaceSpecOf(workspace),
      namespace: workspace.namespace,
      settings: this.deps.settings,
      driver: this.deps.driver,
      grants: this.grants,
      deadlineSeconds: this.deps.config.outputCollectDeadlineSeconds,
      graceMs: this.graceMs,
      pollMs: this.pollMs,
      grantId: row.grantId,
      onGrant: async (grantId) => {
        await this.dataSource.query(`UPDATE "${this.table}" SET "grant_id" = $2 WHERE "id" = $1`, [
          row.id,
          grantId,
        ]);
      },
    };
    const ran = await runCollectorSteps(
      this.dataSource,
      this.table,
      row.id,
      context,
      this.logger,
      this.runnerOptions,
    );
    if (ran.superseded) return 'nothing to do';
    return this.settleRan(row, ran.failure, context.grantId);
  }
}
