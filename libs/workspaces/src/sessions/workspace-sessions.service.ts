import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { APP_CONFIG, ConflictError, ForbiddenError, NotFoundError, type AppConfig } from '@tre/core';
import { ProjectReader } from '@tre/projects';
import { WorkspaceStore } from '../provisioning/workspace-store';
import { SessionRecords } from './session-records';
import { hashSessionSecret, newSessionSecret, TICKET_PREFIX } from './session-secrets';
import { sessionView, type SessionTicket, type SessionView } from './session-views';
import { WorkspaceSessionEntity } from './session.entity';

/** The gateway's path of one workspace: every URL of its tool lives under it, and so does its cookie. */
export const workspaceGatewayPath = (workspaceId: string): string => `/w/${workspaceId}/`;

/** Sessions as people see them: a member opens one; an admin lists and terminates them. */
@Injectable()
export class WorkspaceSessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: WorkspaceStore,
    private readonly projects: ProjectReader,
    private readonly records: SessionRecords,
  ) {}

  /**
   * A one-time ticket to the workspace's tool, for a project member with a current accreditation, on an
   * approved project whose workspace is ready. Who cannot see the workspace is told it does not exist.
   */
  async open(user: AuthenticatedUser, workspaceId: string): Promise<SessionTicket> {
    const workspace = await this.store.byId(workspaceId);
    if (!workspace) throw new NotFoundError('Workspace', workspaceId);
    const accreditation = await this.projects.memberAccreditation(workspace.projectId, user.subject);
    if (accreditation === 'none') throw new NotFoundError('Workspace', workspaceId);
    if (accreditation === 'lapsed')
      throw new ForbiddenError('Your accreditation has lapsed: renew it to open this workspace');
    const project = await this.projects.statusOf(workspace.projectId);
    if (project?.status !== 'approved')
      throw new ConflictError(
        `The project is ${project?.status ?? 'gone'}, not approved: its workspace cannot be opened`,
      );
    if (workspace.state !== 'ready')
      throw new ConflictError(`The workspace is ${workspace.state}, not ready: it cannot be opened yet`);

    const ticket = newSessionSecret(TICKET_PREFIX);
    const expiresAt = new Date(Date.now() + this.config.gatewayTicketTtlSeconds * 1000);
    const session = await this.dataSource.transaction(async (manager) => {
      const row = await manager.save(
        manager.create(WorkspaceSessionEntity, {
          workspaceId,
          projectId: workspace.projectId,
          userId: user.id,
          subject: user.subject,
          ticketHash: hashSessionSecret(ticket),
          ticketExpiresAt: expiresAt,
        }),
      );
      await this.records.record(manager, 'workspace.session_ticket_issued', row, user.id, {
        expiresAt: expiresAt.toISOString(),
      });
      return row;
    });
    const gatewayUrl = new URL(workspaceGatewayPath(workspaceId), this.config.gatewayPublicUrl);
    const openUrl = new URL(`${workspaceGatewayPath(workspaceId)}_tre/redeem`, gatewayUrl);
    openUrl.searchParams.set('ticket', ticket);
    return {
      sessionId: session.id,
      workspaceId,
      ticket,
      expiresAt: expiresAt.toISOString(),
      gatewayUrl: gatewayUrl.toString(),
      openUrl: openUrl.toString(),
    };
  }

  /** Admins: sessions newest first (at most 500), or only those not ended. */
  async list(options: { live?: boolean } = {}): Promise<SessionView[]> {
    const rows = await this.dataSource.getRepository(WorkspaceSessionEntity).find({
      where: options.live ? { endedAt: IsNull(), redeemedAt: Not(IsNull()) } : {},
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return rows.map(sessionView);
  }

  /** Admins: ends a session now; every gateway replica closes its connections. 409 if it already ended. */
  async terminate(admin: AuthenticatedUser, sessionId: string): Promise<SessionView> {
    const repository = this.dataSource.getRepository(WorkspaceSessionEntity);
    const row = await repository.findOneBy({ id: sessionId });
    if (!row) throw new NotFoundError('Session', sessionId);
    if (!(await this.records.end(sessionId, 'terminated', admin.id))) {
      const ended = await repository.findOneByOrFail({ id: sessionId });
      throw new ConflictError(`The session already ended (${ended.endReason ?? 'unknown'})`);
    }
    return sessionView(await repository.findOneByOrFail({ id: sessionId }));
  }

  /**
   * Ends every session (and unspent ticket) of one person, revoked: after their accreditation lapses. Each end
   * announces `session.ended`, the event every gateway replica already cuts a session's sockets on; what a
   * missed message leaves open, the gateway's periodic re-check ends (the decision reads the register too).
   */
  async endAllOf(subject: string, actorId: string): Promise<number> {
    const rows = await this.dataSource
      .getRepository(WorkspaceSessionEntity)
      .find({ where: { subject, endedAt: IsNull() }, select: { id: true } });
    let ended = 0;
    for (const row of rows) if (await this.records.end(row.id, 'revoked', actorId)) ended += 1;
    return ended;
  }
}
