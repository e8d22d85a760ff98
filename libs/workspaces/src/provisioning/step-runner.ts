import { setTimeout as sleep } from 'node:timers/promises';
import { isClusterError } from '../cluster/cluster-error';
import { workspaceRetryDelayMs, type WorkspaceStep } from '../lifecycle/workspace-state';

/** What a step reports when it did not simply finish: why it was skipped, or a short fact for the status. */
export type StepResult = void | { skipped: string } | { note: string };

export interface StepDefinition<C> {
  readonly name: string;
  /** `tries` counts this run too: more than 1 means an earlier run of the step may have done part of it. */
  run(context: C, tries: number): Promise<StepResult>;
}

/** Where the steps of one operation are recorded as they happen (the workspace row, or memory in unit tests). */
export interface StepJournal {
  /** The recorded steps of this operation: those of an interrupted run of it, or all pending. */
  steps(): Promise<WorkspaceStep[]>;
  /** Records a change of one step; throws OperationSuperseded when the operation no longer owns the row. */
  update(index: number, patch: Partial<WorkspaceStep>): Promise<void>;
}

export interface AttemptInfo {
  /** 1-based number of this attempt of the job. */
  attempt: number;
  maxAttempts: number;
  /** WORKSPACE_RETRY_DELAY_SECONDS: what the job's backoff waits before the next attempt. */
  retryDelaySeconds: number;
}

export interface StepRunnerOptions {
  /** Quick in-process retries of a transient error before the attempt gives up (a blip, not an outage). */
  quickRetries: number;
  quickRetryDelayMs: number;
}

export const DEFAULT_STEP_RUNNER_OPTIONS: StepRunnerOptions = { quickRetries: 3, quickRetryDelayMs: 50 };

/** A step failed for now; the job will retry it (its error and next retry are recorded). */
export class StepRetryLater extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`step ${step}: ${message}`);
    this.name = 'StepRetryLater';
  }
}

/** A step failed for good: a permanent error, or its last attempt. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`step ${step}: ${message}`);
    this.name = 'StepFailed';
  }
}

/** A wait that ran out of time in this attempt; the next attempt waits again. */
export class StepNotYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepNotYet';
  }
}

/** The workspace left the state this operation works in (say, it is being torn down): stop, change nothing. */
export class OperationSuperseded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationSuperseded';
  }
}

export const isTransient = (error: unknown): boolean =>
  (isClusterError(error) && error.transient) || error instanceof StepNotYet;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs an operation's steps in order, recording each as it starts and ends, and skipping those a previous run
 * (perhaps on a worker that died) already finished. Steps themselves are idempotent, so a step that was
 * `running` when its worker died simply runs again. A transient error is retried a few times at once; if it
 * persists, the step goes back to `pending` with its error and the time of the job's next attempt, and the
 * job is retried by the queue with backoff. A permanent error, or the last attempt, marks the step `failed`.
 */
export async function runSteps<C>(
  steps: readonly StepDefinition<C>[],
  journal: StepJournal,
  context: C,
  attempt: AttemptInfo,
  options: StepRunnerOptions = DEFAULT_STEP_RUNNER_OPTIONS,
): Promise<void> {
  const recorded = await journal.steps();
  for (const [index, step] of steps.entries()) {
    const previous = recorded[index];
    if (previous && (previous.state === 'done' || previous.state === 'skipped')) continue;
    let attempts = previous?.attempts ?? 0;
    const startedAt = previous?.startedAt ?? new Date().toISOString();
    for (let quick = 0; ; quick++) {
      attempts++;
      await journal.update(index, {
        state: 'running',
        attempts,
        startedAt,
        finishedAt: null,
        error: null,
        nextRetryAt: null,
      });
      try {
        const result = await step.run(context, attempts);
        const outcome: object = typeof result === 'object' && result !== null ? result : {};
        const skipped = 'skipped' in outcome ? String(outcome.skipped) : undefined;
        const note = 'note' in outcome ? String(outcome.note) : (skipped ?? null);
        await journal.update(index, {
          state: skipped !== undefined ? 'skipped' : 'done',
          finishedAt: new Date().toISOString(),
          note,
        });
        break;
      } catch (error: unknown) {
        if (error instanceof OperationSuperseded) throw error;
        const message = messageOf(error);
        const transient = isTransient(error);
        if (transient && quick < options.quickRetries && !(error instanceof StepNotYet)) {
          await sleep(options.quickRetryDelayMs * 2 ** quick);
          continue;
        }
        if (transient && attempt.attempt < attempt.maxAttempts) {
          const delay = workspaceRetryDelayMs(attempt.attempt, attempt.retryDelaySeconds);
          await journal.update(index, {
            state: 'pending',
            error: message,
            nextRetryAt: new Date(Date.now() + delay).toISOString(),
          });
          throw new StepRetryLater(step.name, message);
        }
        await journal.update(index, {
          state: 'failed',
          error: transient ? `${message} (last attempt)` : message,
          finishedAt: new Date().toISOString(),
        });
        throw new StepFailed(step.name, message);
      }
    }
  }
}
