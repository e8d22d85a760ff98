import { IllegalTransitionError } from '@tre/core';
import { nextStatus, PROJECT_STATUSES, type ProjectAction } from './project-status';

describe('project lifecycle', () => {
  it.each<[string, ProjectAction, string]>([
    ['draft', 'submit', 'submitted'],
    ['draft', 'withdraw', 'withdrawn'],
    ['submitted', 'start_review', 'in_review'],
    ['in_review', 'approve', 'approved'],
    ['in_review', 'reject', 'rejected'],
    ['in_review', 'return', 'returned'],
    ['returned', 'submit', 'submitted'],
    ['returned', 'withdraw', 'withdrawn'],
    ['approved', 'suspend', 'suspended'],
    ['suspended', 'resume', 'approved'],
    ['approved', 'revoke', 'revoked'],
    ['approved', 'expire', 'expired'],
    ['approved', 'close', 'closed'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from as never, action)).toBe(to);
  });

  it('refuses what the table does not allow, saying what the state allows', () => {
    expect(() => nextStatus('draft', 'approve')).toThrow(
      new IllegalTransitionError('project', 'draft', 'approve', 'from draft it can only submit, withdraw'),
    );
    expect(() => nextStatus('approved', 'submit')).toThrow(/Cannot submit a project that is approved/);
  });

  it('treats rejected, withdrawn, revoked, expired and closed as final', () => {
    const actions: ProjectAction[] = ['submit', 'approve', 'resume', 'close', 'withdraw'];
    for (const status of ['rejected', 'withdrawn', 'revoked', 'expired', 'closed'] as const) {
      for (const action of actions) expect(() => nextStatus(status, action)).toThrow(/is final/);
    }
    expect(PROJECT_STATUSES).toHaveLength(11);
  });
});
