/** The audit actions of retention's deletions, one per project and kind of data. */
export const RETENTION_ACTIONS = {
  extracts: 'retention.extracts_deleted',
  unreleasedOutputs: 'retention.unreleased_outputs_deleted',
  releasedOutputs: 'retention.released_outputs_deleted',
} as const;

export type RetentionKind = keyof typeof RETENTION_ACTIONS;
