import { commentRequired, decideFile, decideRequest } from './review-decision';

describe('output review decisions', () => {
  it('decides nothing until enough checkers have voted', () => {
    expect(decideFile(['reject'], 2)).toEqual({ decision: 'pending', conflicted: false });
    expect(decideFile(['approve', 'reject'], 3)).toEqual({ decision: 'pending', conflicted: true });
  });

  it('approves a file only when every checker approves', () => {
    expect(decideFile(['approve', 'approve'], 2)).toEqual({ decision: 'approved', conflicted: false });
    expect(decideFile(['approve', 'request_changes'], 2)).toEqual({
      decision: 'changes_requested',
      conflicted: true,
    });
    expect(decideFile(['request_changes', 'request_changes'], 2)).toEqual({
      decision: 'changes_requested',
      conflicted: false,
    });
  });

  it('rejects a file on any reject, and shows the disagreement', () => {
    expect(decideFile(['approve', 'reject'], 2)).toEqual({ decision: 'rejected', conflicted: true });
    expect(decideFile(['reject', 'reject'], 2)).toEqual({ decision: 'rejected', conflicted: false });
  });

  it('decides the request from its files', () => {
    const approved = { decision: 'approved', conflicted: false } as const;
    const changes = { decision: 'changes_requested', conflicted: true } as const;
    const rejected = { decision: 'rejected', conflicted: true } as const;
    const pending = { decision: 'pending', conflicted: false } as const;
    expect(decideRequest([approved, approved])).toBe('approve');
    expect(decideRequest([approved, changes])).toBe('return');
    expect(decideRequest([approved, changes, rejected])).toBe('reject');
    expect(decideRequest([approved, pending])).toBe('pending');
    expect(decideRequest([])).toBe('pending');
  });

  it('lets a comment be left out only when approving a file that passed every check', () => {
    expect(commentRequired('approve', 'pass')).toBe(false);
    expect(commentRequired('approve', 'review')).toBe(true);
    expect(commentRequired('approve', 'manual')).toBe(true);
    expect(commentRequired('request_changes', 'pass')).toBe(true);
    expect(commentRequired('reject', 'pass')).toBe(true);
  });
});
