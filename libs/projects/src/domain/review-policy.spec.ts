import { decideReview, type VoteDecision } from './review-policy';

describe('DAC review policy (default: 2 approvals, quorum 2)', () => {
  const policy = { approvalsRequired: 2, quorum: 2 };
  it.each<[VoteDecision[], string]>([
    [[], 'pending'],
    [['approve'], 'pending'],
    [['approve', 'approve'], 'approve'],
    [['reject'], 'pending'],
    [['approve', 'reject'], 'reject'],
    [['reject', 'reject'], 'reject'],
    [['request_changes'], 'return'],
    [['approve', 'request_changes'], 'return'],
  ])('%j -> %s', (votes, outcome) => {
    expect(decideReview(votes, policy)).toBe(outcome);
  });

  it('follows a configured policy', () => {
    const strict = { approvalsRequired: 3, quorum: 3 };
    expect(decideReview(['approve', 'approve'], strict)).toBe('pending');
    expect(decideReview(['approve', 'reject'], strict)).toBe('pending');
    expect(decideReview(['approve', 'approve', 'reject'], strict)).toBe('reject');
    expect(decideReview(['approve', 'approve', 'approve'], strict)).toBe('approve');
  });
});
