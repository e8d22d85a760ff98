import type { WorkspaceState } from '../lifecycle/workspace-state';
import type { SessionEndReason } from './session.entity';

/** Why the gateway refuses a request or a ticket; each is audited and counted by this name. */
export const DENIAL_REASONS = [
  'no_session',
  'unknown_session',
  'session_ended',
  'wrong_workspace',
  'ticket_unknown',
  'ticket_used',
  'ticket_expired',
  'not_member',
  'accreditation_lapsed',
  'project_not_approved',
  'workspace_not_ready',
  'idle',
  'blocked_path',
  'blocked_download',
  'blocked_upload',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** What the API knows about a session and everything it depends on, read at the moment of the decision. */
export interface LiveSessionState {
  session: { workspaceId: string; endedAt: Date | null; lastActivityAt: Date | null };
  /** The workspace the request is for (the gateway path). */
  requestedWorkspaceId: string;
  membership: 'current' | 'lapsed' | 'none';
  projectStatus: string | null;
  workspaceState: WorkspaceState | null;
  now: Date;
  idleMs: number;
}

export type SessionDecision =
  | { allow: true }
  /** `endAs`: the live session ends for good, with this reason (absent when only this request is refused). */
  | { allow: false; reason: DenialReason; endAs?: SessionEndReason };

const PROJECT_END: Record<string, SessionEndReason> = {
  suspended: 'suspended',
  expired: 'expired',
};

/**
 * The one rule of access through the gateway: a live session, on the workspace it was opened for, of a
 * member with a current accreditation, on an approved project whose workspace is ready, used recently.
 * Anything else refuses; what can never come right again ends the session.
 */
export function decideSession(state: LiveSessionState): SessionDecision {
  const { session } = state;
  if (session.endedAt) return { allow: false, reason: 'session_ended' };
  if (session.workspaceId !== state.requestedWorkspaceId) return { allow: false, reason: 'wrong_workspace' };
  if (state.membership === 'none') return { allow: false, reason: 'not_member', endAs: 'revoked' };
  if (state.membership === 'lapsed')
    return { allow: false, reason: 'accreditation_lapsed', endAs: 'revoked' };
  if (state.projectStatus !== 'approved') {
    const endAs = PROJECT_END[state.projectStatus ?? ''] ?? 'revoked';
    return { allow: false, reason: 'project_not_approved', endAs };
  }
  if (state.workspaceState !== 'ready') {
    const endAs = state.workspaceState === 'suspended' ? 'suspended' : 'revoked';
    return { allow: false, reason: 'workspace_not_ready', endAs };
  }
  const last = session.lastActivityAt?.getTime();
  if (last !== undefined && state.now.getTime() - last > state.idleMs)
    return { allow: false, reason: 'idle', endAs: 'idle' };
  return { allow: true };
}
