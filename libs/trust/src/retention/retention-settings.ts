import type { AppConfig } from '@tre/core';
import type { RetentionKind } from './retention-actions';

/** Days each kind of a project's data is kept after the project ends. */
export type RetentionDays = Readonly<Record<RetentionKind, number>>;

export const retentionDaysOf = (config: AppConfig): RetentionDays => ({
  extracts: config.extractRetentionDays,
  unreleasedOutputs: config.outputRetentionDays,
  releasedOutputs: config.releaseRetentionDays,
});

/** When a kind of data of a project that ended at `endedAt` is due for deletion. */
export const dueAt = (endedAt: Date, days: number): Date => new Date(endedAt.getTime() + days * 86_400_000);
