import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@tre/core';

export const HANDLES_JOB = 'tre:handlesJob';

/** What a handler is told about the attempt it runs. */
export interface JobAttempt {
  readonly id: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Reports progress (0-100) and the current step, visible through the queue to API and CLI. */
  progress(percent: number, step: string): Promise<void>;
}

/**
 * One class per job. `handle` re-reads state from the ids in the payload and must be idempotent: a retried
 * or duplicated job does nothing twice. `onFinalFailure` runs once, after the last retry failed, to mark the
 * row failed.
 */
export interface JobHandler<N extends JobName> {
  handle(payload: JobPayloads[N], attempt: JobAttempt): Promise<void>;
  onFinalFailure?(payload: JobPayloads[N], error: Error): Promise<void>;
}

/** Marks a provider as the handler of a job; the worker refuses to start unless each job has exactly one. */
export const HandlesJob = (name: JobName): ClassDecorator => SetMetadata(HANDLES_JOB, name);
