import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { SYSTEM_ACTOR } from '@tre/audit';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { ProjectReader } from '@tre/projects';
import type { WorkspaceEntity } from '../entities/workspace.entity';
import { WORKSPACE_OBJECT_NAMES } from '../manifests/names';
import type { WorkspaceSettings } from '../manifests/workspace-settings';
import { WORKSPACE_SETTINGS } from '../provisioning/tokens';
import { WorkspaceStore } from '../provisioning/workspace-store';
import { decideSession, type DenialReason, type SessionDecision } from './session-decision';
import { GATEWAY_ACTOR, SessionRecords } from './session-records';
import {
  hashSessionSecret,
  isSessionSecretShaped,
  newSessionSecret,
  SESSION_TOKEN_PREFIX,
  TICKET_PREFIX,
} from './session-secrets';
import { WorkspaceSessionEntity } from './session.entity';

/** Where the gateway sends a session's traffic: the tool Service of its workspace. */
export interface SessionRoute {
  tool: string;
  namespace: string;
  service: string;
  port: number;
}

export interface GrantedSession {
  sessionId: string;
  workspaceId: string;
  projectId: string;
  userId: string;
  route: SessionRoute;
}

export type GatewayDecision =
  { allow: true; session: GrantedSession } | { allow: false; reason: DenialReason };

export interface ActivityReport {
  sessionId: string;
  bytesIn: number;
  bytesOut: number;
  lastActivityAt: Date;
}

/** How a decision reads the session's workspace and project status (shared by the decisions of one call). */
interface DecisionReads {
  workspace(id: string): Promise<WorkspaceEntity | null>;
  project(id: string): Promise<{ status: string } | null>;
}

/** What a gateway reports that it refused on its own (a path on the deny-list, a download, an upload). */
export interface GatewayRefusal {
  reason: DenialReason;
  workspaceId: string;
  sessionId?: string;
  path: string;
}

/**
 * The decision the API owns, asked by the gateway: redeem a ticket, admit a request of a session, re-check
 * sessions after a revocation. Every answer is read from live state; a session that can never be admitted
 * again is ended on the spot (audited and announced).
 */
@Injectable()
export class GatewaySessionsService {
  private readonly logger = new Logger(GatewaySessionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKSPACE_SETTINGS) private readonly settings: WorkspaceSettings,
    private readonly store: WorkspaceStore,
    private readonly projects: ProjectReader,
    private readonly records: SessionRecords,
  ) {}

  /** Spends a ticket (once, before it expires, at its own workspace) for a session token. */
  async redeem(
    ticket: string,
    workspaceId: string,
  ): Promise<(GatewayDecision & { allow: false }) | { allow: true; session: GrantedSession; token: string }> {
    if (!isSessionSecretShaped(TICKET_PREFIX, ticket))
      return this.refuse(null, 'ticket_unknown', workspaceId);
    const ticketHash = hashSessionSecret(ticket);
    const token = newSessionSecret(SESSION_TOKEN_PREFIX);
    // One statement, so two redemptions of one ticket can never both succeed.
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE "workspace_sessions" SET "redeemed_at" = now(), "token_hash" = $3, "last_activity_at" = now()
       WHERE "ticket_hash" = $1 AND "workspace_id" = $2 AND "redeemed_at" IS NULL AND "ended_at" IS NULL
         AND "ticket_expires_at" > now()
       RETURNING "id"`,
      [ticketHash, workspaceId, hashSessionSecret(token)],
    );
    const repository = this.dataSource.getRepository(WorkspaceSessionEntity);
    if (!rows[0]) {
      const row = await repository.findOneBy({ ticketHash });
      const reason: DenialReason = !row
        ? 'ticket_unknown'
        : row.redeemedAt
          ? 'ticket_used'
          : row.endedAt
            ? 'session_ended'
            : row.workspaceId !== workspaceId
              ? 'wrong_workspace'
              : 'ticket_expired';
      return this.refuse(row, reason, workspaceId);
    }
    const row = await repository.findOneByOrFail({ id: rows[0].id });
    const [decision, workspace] = await this.decide(row, workspaceId);
    if (!decision.allow || !workspace)
      return this.refuse(row, decision.allow ? 'workspace_not_ready' : decision.reason, workspaceId);
    await this.records.append('workspace.session_started', row, row.userId);
    return { allow: true, session: this.granted(row, workspace), token };
  }

  /** Admits (or not) one request or WebSocket of the session holding `token`, for `workspaceId`. */
  async authorise(token: string, workspaceId: string, path: string): Promise<GatewayDecision> {
    const row = isSessionSecretShaped(SESSION_TOKEN_PREFIX, token)
      ? await this.dataSource
          .getRepository(WorkspaceSessionEntity)
          .findOneBy({ tokenHash: hashSessionSecret(token) })
      : null;
    if (!row) return this.refuse(null, 'unknown_session', workspaceId);
    const [decision, workspace] = await this.decide(row, workspaceId);
    if (!decision.allow || !workspace)
      return this.refuse(row, decision.allow ? 'workspace_not_ready' : decision.reason, workspaceId, path);
    return { allow: true, session: this.granted(row, workspace) };
  }

  /** Re-decides sessions the gateway holds (after a revocation message, and on its periodic sweep). */
  async recheck(
    sessionIds: string[],
  ): Promise<{ sessionId: string; allow: boolean; reason?: DenialReason }[]> {
    const rows = sessionIds.length
      ? await this.dataSource.getRepository(WorkspaceSessionEntity).findBy({ id: In(sessionIds) })
      : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    // The gateway re-checks every session in use in one call: sessions of one workspace share its row and its
    // project's status, read once per call instead of once per session (each membership is still read).
    const reads = this.sharedReads();
    const results = [];
    for (const sessionId of sessionIds) {
      const row = byId.get(sessionId);
      if (!row) {
        results.push({ sessionId, allow: false, reason: 'unknown_session' as const });
        continue;
      }
      const [decision] = await this.decide(row, row.workspaceId, reads);
      results.push(
        decision.allow ? { sessionId, allow: true } : { sessionId, allow: false, reason: decision.reason },
      );
    }
    return results;
  }

  /** Bytes and last activity as the gateways count them (added up across replicas). */
  async activity(reports: ActivityReport[]): Promise<void> {
    // One statement for the whole report (a gateway sends every session it holds every few seconds: one
    // UPDATE each was hundreds of round trips, on the API that also answers the gateway's decisions). A
    // session named twice is summed first: an UPDATE ... FROM applies only one of its matching rows.
    const bySession = new Map<string, ActivityReport>();
    for (const report of reports) {
      const seen = bySession.get(report.sessionId);
      bySession.set(
        report.sessionId,
        seen
          ? {
              sessionId: report.sessionId,
              bytesIn: seen.bytesIn + report.bytesIn,
              bytesOut: seen.bytesOut + report.bytesOut,
              lastActivityAt:
                seen.lastActivityAt > report.lastActivityAt ? seen.lastActivityAt : report.lastActivityAt,
            }
          : report,
      );
    }
    if (bySession.size === 0) return;
    const merged = [...bySession.values()];
    await this.dataSource.query(
      `UPDATE "workspace_sessions" AS s SET "bytes_in" = s."bytes_in" + r.bytes_in,
         "bytes_out" = s."bytes_out" + r.bytes_out,
         "last_activity_at" = GREATEST(COALESCE(s."last_activity_at", r.at), r.at)
       FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[]) AS r(id, bytes_in, bytes_out, at)
       WHERE s."id" = r.id`,
      [
        merged.map((r) => r.sessionId),
        merged.map((r) => String(r.bytesIn)),
        merged.map((r) => String(r.bytesOut)),
        merged.map((r) => r.lastActivityAt.toISOString()),
      ],
    );
  }

  /** The gateway ends a session: the person closed it, or it sat idle. */
  async close(sessionId: string, reason: 'closed' | 'idle'): Promise<boolean> {
    return this.records.end(sessionId, reason, GATEWAY_ACTOR);
  }

  /** A refusal the gateway made itself; audited when it belongs to a session, otherwise only logged. */
  async refusal(refusal: GatewayRefusal): Promise<void> {
    const row = refusal.sessionId
      ? await this.dataSource.getRepository(WorkspaceSessionEntity).findOneBy({ id: refusal.sessionId })
      : null;
    await this.refuse(row, refusal.reason, refusal.workspaceId, refusal.path);
  }

  /** Workspace rows and project statuses read at most once each, for the decisions of one call. */
  private sharedReads(): DecisionReads {
    const workspaces = new Map<string, Promise<WorkspaceEntity | null>>();
    const projects = new Map<string, Promise<{ status: string } | null>>();
    const once = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>) => {
      if (!cache.has(id)) cache.set(id, read());
      return cache.get(id)!;
    };
    return {
      workspace: (id) => once(workspaces, id, () => this.store.byId(id)),
      project: (id) => once(projects, id, () => this.projects.statusOf(id)),
    };
  }

  private async decide(
    row: WorkspaceSessionEntity,
    requestedWorkspaceId: string,
    reads: DecisionReads = {
      workspace: (id) => this.store.byId(id),
      project: (id) => this.projects.statusOf(id),
    },
  ): Promise<[SessionDecision, WorkspaceEntity | null]> {
    // Three independent reads, asked at once: one after another they made every decision wait three round
    // trips, and the gateway's requests wait on decisions.
    const [workspace, membership, project] = await Promise.all([
      reads.workspace(row.workspaceId),
      this.projects.memberAccreditation(row.projectId, row.subject),
      reads.project(row.projectId),
    ]);
    const decision = decideSession({
      session: row,
      requestedWorkspaceId,
      membership,
      projectStatus: project?.status ?? null,
      workspaceState: workspace?.state ?? null,
      now: new Date(),
      idleMs: this.config.gatewayIdleMinutes * 60_000,
    });
    if (!decision.allow && decision.endAs && !row.endedAt && row.redeemedAt) {
      await this.records.end(row.id, decision.endAs, SYSTEM_ACTOR.api);
    }
    return [decision, workspace];
  }

  private granted(row: WorkspaceSessionEntity, workspace: WorkspaceEntity): GrantedSession {
    return {
      sessionId: row.id,
      workspaceId: row.workspaceId,
      projectId: row.projectId,
      userId: row.userId,
      route: {
        tool: workspace.tool,
        namespace: workspace.namespace,
        service: WORKSPACE_OBJECT_NAMES.toolService,
        port: this.settings.toolImages[workspace.tool]?.port ?? 0,
      },
    };
  }

  /**
   * A refusal, audited when it concerns a ticket or session we issued; a credential we never issued is only
   * logged (recording every guess would let anyone fill the audit trail).
   */
  private async refuse(
    row: WorkspaceSessionEntity | null,
    reason: DenialReason,
    workspaceId: string,
    path?: string,
  ): Promise<{ allow: false; reason: DenialReason }> {
    if (row) {
      const action =
        reason === 'blocked_download' || reason === 'blocked_upload'
          ? 'workspace.download_blocked'
          : 'workspace.session_denied';
      await this.records.append(action, row, GATEWAY_ACTOR, {
        reason,
        ...(row.workspaceId !== workspaceId ? { requestedWorkspaceId: safeId(workspaceId) } : {}),
        ...(path ? { path: path.slice(0, 300) } : {}),
      });
    } else {
      this.logger.warn(`gateway refused a request (${reason}) for workspace ${safeId(workspaceId)}`);
    }
    return { allow: false, reason };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path parameters are the caller's words: recorded only when they are ids. */
const safeId = (value: string): string => (UUID.test(value) ? value : 'not an id');
