import { decideSession, type LiveSessionState } from './session-decision';

const WS = '11111111-1111-4111-8111-111111111111';
const now = new Date('2026-12-05T10:00:00Z');
const live: LiveSessionState = {
  session: { workspaceId: WS, endedAt: null, lastActivityAt: new Date(now.getTime() - 60_000) },
  requestedWorkspaceId: WS,
  membership: 'current',
  projectStatus: 'approved',
  workspaceState: 'ready',
  now,
  idleMs: 30 * 60_000,
};

describe('decideSession', () => {
  it('admits a live session of a current member on an approved project with a ready workspace', () => {
    expect(decideSession(live)).toEqual({ allow: true });
  });

  it.each<[string, Partial<LiveSessionState>, object]>([
    ['an ended session', { session: { ...live.session, endedAt: now } }, { reason: 'session_ended' }],
    ['another workspace', { requestedWorkspaceId: 'other' }, { reason: 'wrong_workspace' }],
    ['a removed member', { membership: 'none' }, { reason: 'not_member', endAs: 'revoked' }],
    [
      'a lapsed accreditation',
      { membership: 'lapsed' },
      { reason: 'accreditation_lapsed', endAs: 'revoked' },
    ],
    [
      'a suspended project',
      { projectStatus: 'suspended' },
      { reason: 'project_not_approved', endAs: 'suspended' },
    ],
    [
      'an expired project',
      { projectStatus: 'expired' },
      { reason: 'project_not_approved', endAs: 'expired' },
    ],
    ['a revoked project', { projectStatus: 'revoked' }, { reason: 'project_not_approved', endAs: 'revoked' }],
    [
      'a suspended workspace',
      { workspaceState: 'suspended' },
      { reason: 'workspace_not_ready', endAs: 'suspended' },
    ],
    [
      'a workspace torn down',
      { workspaceState: 'deprovisioning' },
      { reason: 'workspace_not_ready', endAs: 'revoked' },
    ],
    [
      'an idle session',
      { session: { ...live.session, lastActivityAt: new Date(now.getTime() - 31 * 60_000) } },
      { reason: 'idle', endAs: 'idle' },
    ],
  ])('refuses %s', (_what, change, expected) => {
    expect(decideSession({ ...live, ...change })).toEqual({ allow: false, ...expected });
  });
});
