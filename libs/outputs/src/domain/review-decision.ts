export const OUTPUT_VOTES = ['approve', 'request_changes', 'reject'] as const;
export type OutputVote = (typeof OUTPUT_VOTES)[number];

export type FileDecision = 'pending' | 'approved' | 'changes_requested' | 'rejected';
/** `conflicted`: enough reviews are in but the checkers disagree, so the request is held in review. */
export type RequestOutcome = 'pending' | 'conflicted' | 'approve' | 'reject' | 'return';

export interface FileVerdict {
  readonly decision: FileDecision;
  /** Enough checkers have voted and they do not all vote the same way: the file waits until they agree. */
  readonly conflicted: boolean;
}

const AGREED: Readonly<Record<OutputVote, FileDecision>> = {
  approve: 'approved',
  request_changes: 'changes_requested',
  reject: 'rejected',
};

/**
 * One file's decision from this round's votes. Nothing is decided until `required` checkers have voted
 * (they vote blind until then); then a file is decided only when every vote on it agrees. A disagreement
 * holds the file as `conflicted` (nothing decided) until a checker revises their vote, because settling it by
 * the harshest or the commonest vote would overrule a checker without their knowing.
 */
export function decideFile(votes: readonly OutputVote[], required: number): FileVerdict {
  if (votes.length === 0 || votes.length < required) return { decision: 'pending', conflicted: false };
  if (new Set(votes).size > 1) return { decision: 'pending', conflicted: true };
  return { decision: AGREED[votes[0]], conflicted: false };
}

/**
 * The request follows its files: any conflicted -> held (`conflicted`); all approved -> approve; any
 * rejected -> reject; otherwise return.
 */
export function decideRequest(files: readonly FileVerdict[]): RequestOutcome {
  if (files.length === 0) return 'pending';
  if (files.some((f) => f.conflicted)) return 'conflicted';
  if (files.some((f) => f.decision === 'pending')) return 'pending';
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
