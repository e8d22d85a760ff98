import type { WorkspaceSessionEntity } from './session.entity';

export interface SessionView {
  id: string;
  workspaceId: string;
  projectId: string;
  /** The person, by user id (never a name). */
  userId: string;
  /** The person's identity-provider subject, as project membership and the accreditation register know them. */
  subject: string;
  /** `ticket` until redeemed at the gateway, then `live` until it ends. */
  state: 'ticket' | 'live' | 'ended';
  createdAt: string;
  startedAt: string | null;
  lastActivityAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  bytesIn: number;
  bytesOut: number;
}

export function sessionView(row: WorkspaceSessionEntity): SessionView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    projectId: row.projectId,
    userId: row.userId,
    subject: row.subject,
    state: row.endedAt ? 'ended' : row.redeemedAt ? 'live' : 'ticket',
    createdAt: row.createdAt.toISOString(),
    startedAt: row.redeemedAt?.toISOString() ?? null,
    lastActivityAt: row.lastActivityAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    endReason: row.endReason,
    bytesIn: Number(row.bytesIn),
    bytesOut: Number(row.bytesOut),
  };
}

/** What the person gets to open their workspace: the ticket once, and where to spend it. */
export interface SessionTicket {
  sessionId: string;
  workspaceId: string;
  ticket: string;
  expiresAt: string;
  /** The gateway's address of the workspace. */
  gatewayUrl: string;
  /** Opening this in a browser redeems the ticket for the session cookie and lands on the tool. */
  openUrl: string;
}
