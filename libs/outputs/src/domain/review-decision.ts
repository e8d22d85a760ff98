export const OUTPUT_VOTES = ['approve', 'request_changes', 'reject'] as const;
export type OutputVote = (typeof OUTPUT_VOTES)[number];

export type FileDecision = 'pending' | 'approved' | 'changes_requested' | 'rejected';
export type RequestOutcome = 'pending' | 'approve' | 'reject' | 'return';

export interface FileVerdict {
  readonly decision: FileDecision;
  /** The checkers did not all vote the same way on this file. */
  readonly conflicted: boolean;
}

/**
 * One file's decision from this round's votes. Nothing is decided until `required` checkers have voted
 * (they vote blind until then); then any reject rejects, unanimous approval approves, anything else asks
 * for changes. Disagreement is kept visible as `conflicted` whatever the decision.
 */
export function decideFile(votes: readonly OutputVote[], required: number): FileVerdict {
  const conflicted = new Set(votes).size > 1;
  if (votes.length < required) return { decision: 'pending', conflicted };
  if (votes.includes('reject')) return { decision: 'rejected', conflicted };
  if (votes.every((v) => v === 'approve')) return { decision: 'approved', conflicted };
  return { decision: 'changes_requested', conflicted };
}

/** The request follows its files: all approved -> approve; any rejected -> reject; otherwise return. */
export function decideRequest(files: readonly FileVerdict[]): RequestOutcome {
  if (files.length === 0 || files.some((f) => f.decision === 'pending')) return 'pending';
  if (files.some((f) => f.decision === 'rejected')) return 'reject';
  if (files.every((f) => f.decision === 'approved')) return 'approve';
  return 'return';
}

/**
 * A comment explains a vote to the researcher and to the other checker; it may be left out only when
 * approving a file that passed every automated check (nothing needed a person's judgement).
 */
export function commentRequired(vote: OutputVote, checkStatus: string): boolean {
  return !(vote === 'approve' && checkStatus === 'pass');
}
