import { IllegalTransitionError } from '@tre/core';
import {
  allowedOutputActions,
  nextOutputStatus,
  OUTPUT_STATUSES,
  type OutputAction,
  type OutputStatus,
} from './output-status';

describe('output request lifecycle', () => {
  it.each<[OutputStatus, OutputAction, OutputStatus]>([
    ['draft', 'submit', 'submitted'],
    ['draft', 'withdraw', 'withdrawn'],
    ['submitted', 'start_check', 'checking'],
    ['checking', 'block', 'blocked'],
    ['checking', 'pass_checks', 'in_review'],
    ['blocked', 'submit', 'submitted'],
    ['blocked', 'withdraw', 'withdrawn'],
    ['in_review', 'approve', 'approved'],
    ['in_review', 'reject', 'rejected'],
    ['in_review', 'return', 'returned'],
    ['returned', 'submit', 'submitted'],
    ['returned', 'withdraw', 'withdrawn'],
    ['approved', 'release', 'released'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextOutputStatus(from, action)).toBe(to);
  });

  it('allows exactly the transitions of DESIGN.md plus mending a blocked request', () => {
    const count = OUTPUT_STATUSES.reduce((n, s) => n + allowedOutputActions(s).length, 0);
    expect(count).toBe(13);
  });

  it.each<[OutputStatus, OutputAction]>([
    ['draft', 'approve'],
    ['submitted', 'submit'],
    ['checking', 'approve'],
    ['blocked', 'approve'],
    ['in_review', 'release'],
    ['in_review', 'withdraw'],
    ['approved', 'withdraw'],
    ['released', 'submit'],
    ['rejected', 'submit'],
    ['withdrawn', 'submit'],
  ])('refuses %s --%s--> with a reason', (from, action) => {
    expect(() => nextOutputStatus(from, action)).toThrow(IllegalTransitionError);
  });

  it('says what a final state is', () => {
    expect(() => nextOutputStatus('released', 'release')).toThrow(/released is final/);
    expect(() => nextOutputStatus('in_review', 'submit')).toThrow(/can only approve, reject, return/);
  });
});
