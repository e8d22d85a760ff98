export const VOTE_DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type VoteDecision = (typeof VOTE_DECISIONS)[number];

export interface ReviewPolicy {
  /** Approvals needed (with no reject) to approve. */
  readonly approvalsRequired: number;
  /** Votes needed before a reject can reject the application. */
  readonly quorum: number;
}

export type ReviewOutcome = 'approve' | 'reject' | 'return' | 'pending';

/**
 * The DAC's decision rule, applied after every vote:
 * any request for changes returns the application at once; once the quorum has voted, any reject rejects it;
 * enough approvals and no reject approve it; otherwise the review goes on.
 */
export function decideReview(votes: readonly VoteDecision[], policy: ReviewPolicy): ReviewOutcome {
  if (votes.includes('request_changes')) return 'return';
  const rejects = votes.filter((vote) => vote === 'reject').length;
  const approvals = votes.filter((vote) => vote === 'approve').length;
  if (rejects > 0) return votes.length >= policy.quorum ? 'reject' : 'pending';
  return approvals >= policy.approvalsRequired ? 'approve' : 'pending';
}
