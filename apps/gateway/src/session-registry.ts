import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One session as this gateway replica holds it: its open WebSockets, requests in flight and unreported bytes. */
export interface HeldSession {
  sessionId: string;
  workspaceId: string;
  projectId: string;
  tokenHash: string;
  sockets: Set<Socket>;
  responses: Set<ServerResponse>;
  bytesIn: number;
  bytesOut: number;
  /** Socket byte counts already reported, so each report carries only what is new. */
  reported: WeakMap<Socket, { read: number; written: number }>;
  lastActivity: number;
  activitySinceReport: boolean;
}

/** The sessions this replica proxies, so a revocation can find and close every connection of one. */
export class SessionRegistry {
  private readonly sessions = new Map<string, HeldSession>();

  hold(entry: Pick<HeldSession, 'sessionId' | 'workspaceId' | 'projectId' | 'tokenHash'>): HeldSession {
    let held = this.sessions.get(entry.sessionId);
    if (!held) {
      held = {
        ...entry,
        sockets: new Set(),
        responses: new Set(),
        bytesIn: 0,
        bytesOut: 0,
        reported: new WeakMap(),
        lastActivity: Date.now(),
        activitySinceReport: true,
      };
      this.sessions.set(entry.sessionId, held);
    }
    return held;
  }

  get(sessionId: string): HeldSession | undefined {
    return this.sessions.get(sessionId);
  }

  all(): HeldSession[] {
    return [...this.sessions.values()];
  }

  matching(filter: { projectId?: string; workspaceId?: string }): HeldSession[] {
    return this.all().filter(
      (held) =>
        (!filter.projectId || held.projectId === filter.projectId) &&
        (!filter.workspaceId || held.workspaceId === filter.workspaceId),
    );
  }

  socketCount(): number {
    let count = 0;
    for (const held of this.sessions.values()) count += held.sockets.size;
    return count;
  }

  /** Cuts every connection of the session at once and forgets it; returns it (for its token) if held. */
  drop(sessionId: string): HeldSession | undefined {
    const held = this.sessions.get(sessionId);
    if (!held) return undefined;
    this.sessions.delete(sessionId);
    for (const socket of held.sockets) socket.destroy();
    for (const response of held.responses) response.destroy();
    return held;
  }

  /** Bytes and activity since the last report, WebSocket traffic included; resets the counters. */
  takeReports(): { sessionId: string; bytesIn: number; bytesOut: number; lastActivityAt: string }[] {
    const reports = [];
    for (const held of this.sessions.values()) {
      for (const socket of held.sockets) {
        const before = held.reported.get(socket) ?? { read: 0, written: 0 };
        const now = { read: socket.bytesRead, written: socket.bytesWritten };
        if (now.read !== before.read || now.written !== before.written) {
          held.bytesIn += now.read - before.read;
          held.bytesOut += now.written - before.written;
          held.lastActivity = Date.now();
          held.activitySinceReport = true;
        }
        held.reported.set(socket, now);
      }
      if (!held.activitySinceReport && held.bytesIn === 0 && held.bytesOut === 0) continue;
      reports.push({
        sessionId: held.sessionId,
        bytesIn: held.bytesIn,
        bytesOut: held.bytesOut,
        lastActivityAt: new Date(held.lastActivity).toISOString(),
      });
      held.bytesIn = 0;
      held.bytesOut = 0;
      held.activitySinceReport = false;
    }
    return reports;
  }
}
