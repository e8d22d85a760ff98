import { DomainError } from '@tre/core';
import {
  WORKSPACE_STATES,
  allowedToolReplicas,
  canTransition,
  nextWorkspaceState,
  workspaceRetryDelayMs,
  type WorkspaceAction,
  type WorkspaceState,
} from './workspace-state';

describe('workspace lifecycle', () => {
  const allowed: [WorkspaceState, WorkspaceAction, WorkspaceState][] = [
    ['requested', 'provision', 'provisioning'],
    ['provisioning', 'provision', 'provisioning'],
    ['provisioning', 'become_ready', 'ready'],
    ['provisioning', 'fail', 'failed'],
    ['ready', 'suspend', 'suspended'],
    ['suspended', 'resume', 'ready'],
    ['ready', 'deprovision', 'deprovisioning'],
    ['suspended', 'deprovision', 'deprovisioning'],
    ['failed', 'deprovision', 'deprovisioning'],
    ['provisioning', 'deprovision', 'deprovisioning'],
    ['deprovisioning', 'mark_deleted', 'deleted'],
  ];

  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    expect(nextWorkspaceState(from, action)).toBe(to);
  });

  it('refuses every other transition with a 409-coded reason', () => {
    const actions: WorkspaceAction[] = [
      'provision',
      'become_ready',
      'fail',
      'suspend',
      'resume',
      'deprovision',
      'mark_deleted',
    ];
    let refused = 0;
    for (const from of WORKSPACE_STATES) {
      for (const action of actions) {
        if (canTransition(from, action)) continue;
        refused++;
        let error: unknown;
        try {
          nextWorkspaceState(from, action);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('illegal_transition');
        expect((error as DomainError).message).toContain(from);
      }
    }
    expect(refused).toBeGreaterThan(30);
  });

  it('explains a suspend of a workspace that is not ready', () => {
    expect(() => nextWorkspaceState('provisioning', 'suspend')).toThrow(
      'Cannot suspend a workspace that is provisioning: only a ready workspace can be suspended',
    );
  });

  it('never leaves deleted', () => {
    expect(WORKSPACE_STATES.filter((s) => s !== 'deleted').length).toBe(6);
    for (const action of ['provision', 'resume', 'deprovision', 'suspend'] as const) {
      expect(canTransition('deleted', action)).toBe(false);
    }
  });

  it('backs off by doubling, capped at five minutes', () => {
    expect(workspaceRetryDelayMs(1, 5)).toBe(5_000);
    expect(workspaceRetryDelayMs(3, 5)).toBe(20_000);
    expect(workspaceRetryDelayMs(20, 5)).toBe(300_000);
  });

  it('allows the tool one replica only while provisioning or ready and access has not ended', () => {
    const allowed = WORKSPACE_STATES.map((state) => [
      state,
      allowedToolReplicas({ state, teardownDueAt: null }),
      allowedToolReplicas({ state, teardownDueAt: new Date() }),
    ]);
    expect(allowed).toEqual([
      ['requested', 0, 0],
      ['provisioning', 1, 0],
      ['ready', 1, 0],
      ['suspended', 0, 0],
      ['deprovisioning', 0, 0],
      ['deleted', 0, 0],
      ['failed', 0, 0],
    ]);
  });
});
