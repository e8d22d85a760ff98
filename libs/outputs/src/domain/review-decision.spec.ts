import { commentRequired, decideFile, decideRequest } from './review-decision';

describe('output review decisions', () => {
  it('decides nothing until enough checkers have voted, and keeps a disagreement hidden until then', () => {
    expect(decideFile([], 2)).toEqual({ decision: 'pending', conflicted: false });
    expect(decideFile(['reject'], 2)).toEqual({ decision: 'pending', conflicted: false });
    expect(decideFile(['approve', 'reject'], 3)).toEqual({ decision: 'pending', conflicted: false });
  });

  it('decides a file only when every vote on it agrees', () => {
    expect(decideFile(['approve', 'approve'], 2)).toEqual({ decision: 'approved', conflicted: false });
    expect(decideFile(['request_changes', 'request_changes'], 2)).toEqual({
      decision: 'changes_requested',
      conflicted: false,
    });
    expect(decideFile(['reject', 'reject'], 2)).toEqual({ decision: 'rejected', conflicted: false });
    expect(decideFile(['approve', 'approve', 'approve'], 2)).toEqual({
      decision: 'approved',
      conflicted: false,
    });
  });

  it('holds a file whose checkers disagree, whatever the votes and however many', () => {
    const held = { decision: 'pending', conflicted: true };
    expect(decideFile(['approve', 'request_changes'], 2)).toEqual(held);
    expect(decideFile(['approve', 'reject'], 2)).toEqual(held);
    expect(decideFile(['request_changes', 'reject'], 2)).toEqual(held);
    // A third checker does not outvote the others: a majority is still a disagreement.
    expect(decideFile(['approve', 'reject', 'approve'], 2)).toEqual(held);
    expect(decideFile(['reject', 'approve', 'reject'], 2)).toEqual(held);
  });

  it('decides the request from its files, holding it while any file is conflicted', () => {
    const approved = { decision: 'approved', conflicted: false } as const;
    const changes = { decision: 'changes_requested', conflicted: false } as const;
    const rejected = { decision: 'rejected', conflicted: false } as const;
    const pending = { decision: 'pending', conflicted: false } as const;
    const conflicted = { decision: 'pending', conflicted: true } as const;
    expect(decideRequest([approved, approved])).toBe('approve');
    expect(decideRequest([approved, changes])).toBe('return');
    expect(decideRequest([approved, changes, rejected])).toBe('reject');
    expect(decideRequest([approved, pending])).toBe('pending');
    expect(decideRequest([])).toBe('pending');
    expect(decideRequest([approved, conflicted])).toBe('conflicted');
    expect(decideRequest([rejected, conflicted])).toBe('conflicted');
  });

  it('lets a comment be left out only when approving a file that passed every check', () => {
    expect(commentRequired('approve', 'pass')).toBe(false);
    expect(commentRequired('approve', 'review')).toBe(true);
    expect(commentRequired('approve', 'manual')).toBe(true);
    expect(commentRequired('request_changes', 'pass')).toBe(true);
    expect(commentRequired('reject', 'pass')).toBe(true);
  });
});
