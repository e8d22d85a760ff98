import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import { Outbox } from '@tre/core';
import { WorkspaceSessionEntity, type SessionEndReason } from './session.entity';

/** The actor of what a gateway reports (denials, blocked downloads): no person stands behind the report. */
export const GATEWAY_ACTOR = 'system:gateway';

type SessionRef = Pick<WorkspaceSessionEntity, 'id' | 'workspaceId' | 'projectId'>;

/**
 * Writes that every session path shares: ending a session (once, audited, announced so every gateway replica
 * closes its sockets) and the audit events of a session. Never records a ticket or token.
 */
@Injectable()
export class SessionRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
  ) {}

  /** Ends the session if it is still live; false when it had already ended (the first reason stands). */
  async end(sessionId: string, reason: SessionEndReason, actorId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[SessionRow[], number]>(
        `UPDATE "workspace_sessions" SET "ended_at" = now(), "end_reason" = $2
         WHERE "id" = $1 AND "ended_at" IS NULL
         RETURNING "id", "workspace_id", "project_id", "redeemed_at"`,
        [sessionId, reason],
      );
      const row = rows[0];
      if (!row) return false;
      const session = { id: row.id, workspaceId: row.workspace_id, projectId: row.project_id };
      // A ticket never redeemed was never a session: it lapses without a session_ended event.
      await this.record(
        manager,
        row.redeemed_at ? 'workspace.session_ended' : 'workspace.session_ticket_voided',
        session,
        actorId,
        { reason },
      );
      await this.outbox.record(
        manager,
        'session.ended',
        { type: 'workspace', id: session.workspaceId },
        { sessionId: session.id, workspaceId: session.workspaceId, projectId: session.projectId },
      );
      return true;
    });
  }

  /** An audit event about one session, in its own transaction. */
  append(action: string, session: SessionRef, actorId: string, details: Record<string, unknown> = {}) {
    return this.dataSource.transaction((manager) => this.record(manager, action, session, actorId, details));
  }

  record(
    manager: EntityManager,
    action: string,
    session: SessionRef,
    actorId: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.append(manager, {
      action,
      subjectType: 'workspace',
      subjectId: session.workspaceId,
      actorId,
      details: { sessionId: session.id, projectId: session.projectId, ...details },
    });
  }
}

interface SessionRow {
  id: string;
  workspace_id: string;
  project_id: string;
  redeemed_at: Date | null;
}
