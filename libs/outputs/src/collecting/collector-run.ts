import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  OperationSuperseded,
  runSteps,
  type StepJournal,
  type StepRunnerOptions,
  type WorkspaceStep,
} from '@tre/workspaces';
import { CLEAN_UP_STEP, COLLECTION_STEPS, type CollectionContext } from './collection-steps';
import { COLLECTION_STEP_NAMES } from './output-collection.entity';

/** The tables whose rows record a collector run's steps: a collection (add mode) or a listing (list mode). */
export type CollectorRunTable = 'output_collections' | 'output_listings';

/**
 * The worker's steps of a collector run in the cluster, in order; `clean-up` runs whatever happened before it.
 * A listing runs the same steps as a collection, so both rows record the one list.
 */
export const COLLECTOR_RUN_STEP_NAMES = COLLECTION_STEP_NAMES;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Claims a running row's steps for this run, taking them from any earlier run (as `WorkspaceStore.claimSteps`
 * does a workspace's): a worker that lost its job's lock but kept running has its next record refused and
 * stops. Undefined when the row is no longer running.
 */
export async function claimCollectorRun(
  dataSource: DataSource,
  table: CollectorRunTable,
  id: string,
): Promise<string | undefined> {
  const runId = randomUUID();
  const [, claimed] = await dataSource.query<[unknown[], number]>(
    `UPDATE "${table}" SET "run_id" = $2 WHERE "id" = $1 AND "state" = 'running'`,
    [id, runId],
  );
  return claimed === 0 ? undefined : runId;
}

/** A run's steps from `offset` on, updated in place on its row while the row is running and the run owns it. */
export function collectorRunJournal(
  dataSource: DataSource,
  table: CollectorRunTable,
  id: string,
  offset: number,
  runId: string,
): StepJournal {
  const superseded = () => new OperationSuperseded(`${table} ${id} is no longer running in this run`);
  return {
    steps: async () => {
      const [row] = await dataSource.query<
        { state: string; steps: WorkspaceStep[]; run_id: string | null }[]
      >(`SELECT "state", "steps", "run_id" FROM "${table}" WHERE "id" = $1`, [id]);
      if (row?.state !== 'running' || row.run_id !== runId) throw superseded();
      return row.steps.slice(offset);
    },
    update: async (index: number, patch: Partial<WorkspaceStep>) => {
      const at = index + offset;
      const [, changed] = await dataSource.query<[unknown[], number]>(
        `UPDATE "${table}"
            SET "steps" = jsonb_set("steps", ARRAY[$2::text], ("steps" -> $2::int) || $3::jsonb), "updated_at" = now()
          WHERE "id" = $1 AND "state" = 'running' AND "run_id" = $4 AND jsonb_array_length("steps") > $2::int`,
        [id, at, JSON.stringify(patch), runId],
      );
      if (changed === 0) throw superseded();
    },
  };
}

/** Grants of a workspace's runs in `table` whose clean-up step never finished: the reconciler's to remove. */
export async function unfinishedCleanUpGrants(
  dataSource: DataSource,
  table: CollectorRunTable,
  workspaceId: string,
): Promise<string[]> {
  const rows = await dataSource.query<{ grant_id: string }[]>(
    `SELECT "grant_id" FROM "${table}"
      WHERE "workspace_id" = $1 AND "runner" = 'kubernetes' AND "grant_id" IS NOT NULL
        AND NOT "steps" @> '[{"name": "clean-up", "state": "done"}]'::jsonb`,
    [workspaceId],
  );
  return rows.map((row) => row.grant_id);
}

/** Records a run's clean-up step done by the reconciler, whatever state the run is in. */
export async function markCleanedUpByReconciler(
  dataSource: DataSource,
  table: CollectorRunTable,
  id: string,
): Promise<void> {
  const patch = {
    state: 'done',
    finishedAt: new Date().toISOString(),
    note: 'the reconciler removed what was left',
  };
  await dataSource.query(
    `UPDATE "${table}"
        SET "steps" = jsonb_set("steps", ARRAY[$2::text], ("steps" -> $2::int) || $3::jsonb), "updated_at" = now()
      WHERE "id" = $1 AND jsonb_array_length("steps") > $2::int`,
    [id, COLLECTOR_RUN_STEP_NAMES.indexOf('clean-up'), JSON.stringify(patch)],
  );
}

/**
 * Runs a collector's steps (grant, Secret, path out, Job, wait) recorded on its row, then clean-up whatever
 * happened. One attempt; a worker that resumes a run another began skips the steps recorded done. Says whether
 * another took the run over, or why it failed (the Job's reason when it gave one).
 */
export async function runCollectorSteps(
  dataSource: DataSource,
  table: CollectorRunTable,
  id: string,
  context: CollectionContext,
  logger: Logger,
  runnerOptions?: StepRunnerOptions,
): Promise<{ superseded: true } | { superseded: false; failure?: string }> {
  const attempt = { attempt: 1, maxAttempts: 1, retryDelaySeconds: 1 };
  const runId = await claimCollectorRun(dataSource, table, id);
  if (!runId) return { superseded: true };
  let failure: string | undefined;
  try {
    await runSteps(
      COLLECTION_STEPS,
      collectorRunJournal(dataSource, table, id, 0, runId),
      context,
      attempt,
      runnerOptions,
    );
  } catch (error: unknown) {
    if (error instanceof OperationSuperseded) return { superseded: true };
    failure = context.jobFailure ?? messageOf(error).replace(/^step [\w-]+: /, '');
  }
  try {
    const cleanUpAt = COLLECTOR_RUN_STEP_NAMES.indexOf('clean-up');
    await runSteps(
      [CLEAN_UP_STEP],
      collectorRunJournal(dataSource, table, id, cleanUpAt, runId),
      context,
      attempt,
      runnerOptions,
    );
  } catch (error: unknown) {
    // Taken over meanwhile: the run that took it cleans up.
    if (error instanceof OperationSuperseded) return { superseded: true };
    // Recorded on the step; the reconciler removes what is left once the grant is dead.
    logger.warn({ table, id, err: messageOf(error) }, 'A collector run could not clean up');
  }
  return { superseded: false, failure };
}
