import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import { SYSTEM_ACTOR } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import {
  APP_CONFIG,
  ConflictError,
  ForbiddenError,
  JobQueue,
  NotFoundError,
  type AppConfig,
} from '@tre/core';
import { accreditationOf, ProjectReader } from '@tre/projects';
import type { ClusterDriver } from '../cluster/cluster-driver';
import { WorkspaceEntity } from '../entities/workspace.entity';
import type { WorkspaceSettings, WorkspaceSize, WorkspaceTool } from '../manifests/workspace-settings';
import { CLUSTER_DRIVER, WORKSPACE_SETTINGS } from '../provisioning/tokens';
import { WorkspaceStore } from '../provisioning/workspace-store';
import { workspaceChoicePolicy } from '../settings/workspace-settings.module';
import { clusterAttached } from '../provisioning/cluster-ops';
import {
  clusterFacts,
  workspaceView,
  type ClusterFacts,
  type WorkspacePage,
  type WorkspaceView,
} from './workspace-views';
import { workspacePage, workspaceWithStanding, type WorkspaceRow } from './workspace-reads';

const ENDED = ['revoked', 'expired', 'closed'];

/** Requests from people (the API) and from project events (the worker), turned into state changes and jobs. */
@Injectable()
export class WorkspaceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKSPACE_SETTINGS) private readonly settings: WorkspaceSettings,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly store: WorkspaceStore,
    private readonly projects: ProjectReader,
    private readonly jobs: JobQueue,
  ) {}

  /** project.approved: the workspace the approval fixed, requested and on its way. */
  async requestForApproval(approvalId: string): Promise<WorkspaceEntity | undefined> {
    const approval = await this.projects.approvalById(approvalId);
    if (!approval) return undefined;
    const choice = approval.workspace ?? workspaceChoicePolicy(this.settings).resolve(undefined);
    const { workspace } = await this.store.request({
      approvalId,
      projectId: approval.projectId,
      size: choice.size as WorkspaceSize,
      tool: choice.tool as WorkspaceTool,
      namespacePrefix: this.settings.namespacePrefix,
    });
    if (workspace.state === 'requested' || workspace.state === 'provisioning') {
      await this.jobs.enqueue('workspaces.provision', { workspaceId: workspace.id });
    }
    return workspace;
  }

  /** The project changed status: suspend, resume or (after the grace period) tear down its workspaces. */
  async followProject(projectId: string): Promise<string[]> {
    const project = await this.projects.statusOf(projectId);
    if (!project) return [];
    const workspaces = await this.dataSource
      .getRepository(WorkspaceEntity)
      .find({ where: { projectId, state: Not('deleted') } });
    const done: string[] = [];
    for (const workspace of workspaces) {
      if (project.status === 'suspended' && workspace.state === 'ready') {
        await this.suspend(workspace.id, SYSTEM_ACTOR.worker);
        done.push(`${workspace.id}: suspended`);
      } else if (project.status === 'approved' && workspace.state === 'suspended') {
        await this.resume(workspace.id, SYSTEM_ACTOR.worker);
        done.push(`${workspace.id}: resumed`);
      } else if (ENDED.includes(project.status)) {
        done.push(`${workspace.id}: ${await this.endAccess(workspace.id, project.status)}`);
      }
    }
    return done;
  }

  /**
   * Once a workspace is ready, it follows its project as it is now: a project suspended or ended while its
   * workspace was being provisioned is not left with a running workspace.
   */
  async followUp(workspaceId: string): Promise<string[]> {
    const workspace = await this.store.byId(workspaceId);
    return workspace ? this.followProject(workspace.projectId) : [];
  }

  async suspend(workspaceId: string, actorId?: string): Promise<void> {
    await this.store.transaction(async (manager) => {
      const workspace = await this.store.lock(manager, workspaceId);
      await this.store.transition(manager, workspace, 'suspend', {}, actorId);
      await this.store.beginOperation(manager, workspace, 'suspend', ['scale-tool-to-zero']);
    });
    await this.jobs.requeue('workspaces.suspend', { workspaceId });
  }

  async resume(workspaceId: string, actorId?: string): Promise<void> {
    await this.store.transaction(async (manager) => {
      const workspace = await this.store.lock(manager, workspaceId);
      if (workspace.teardownDueAt) {
        throw new ConflictError(
          `Access to this workspace ended when its project ended; it is torn down at ${workspace.teardownDueAt.toISOString()} and cannot be resumed`,
        );
      }
      await this.store.transition(manager, workspace, 'resume', {}, actorId);
      await this.store.beginOperation(manager, workspace, 'resume', ['scale-tool-up']);
    });
    await this.jobs.requeue('workspaces.resume', { workspaceId });
  }

  /**
   * The project ended (revoked, expired or closed): access ends now and only the deletion waits for the grace
   * period. `teardownDueAt` is the record of it: from then on the row allows the tool no replicas (see
   * allowedToolReplicas), so the scale-down job, the reconciler and a provisioning still under way all hold
   * the tool at zero, and the workspace can no longer be resumed. A ready workspace is suspended (its tool
   * scaled to zero at once, and the gateway told); the whole change is one audited transaction.
   */
  async endAccess(workspaceId: string, projectStatus: string): Promise<string> {
    const delayMs = this.config.workspaceTeardownGraceMinutes * 60_000;
    const outcome = await this.store.transaction(async (manager) => {
      const workspace = await this.store.lock(manager, workspaceId);
      if (workspace.state === 'deleted') return undefined;
      const newlyEnded = workspace.teardownDueAt === null;
      if (newlyEnded) {
        workspace.teardownDueAt = new Date(Date.now() + delayMs);
        await manager.update(
          WorkspaceEntity,
          { id: workspaceId },
          { teardownDueAt: workspace.teardownDueAt },
        );
        await this.store.recordAccessEnded(manager, workspace, projectStatus);
      }
      const suspend = workspace.state === 'ready';
      if (suspend) {
        await this.store.transition(manager, workspace, 'suspend', {
          reason: `project ${projectStatus}: access ended`,
        });
        await this.store.beginOperation(manager, workspace, 'suspend', ['scale-tool-to-zero']);
      }
      return { newlyEnded, suspend };
    });
    if (!outcome) return 'already deleted';
    if (outcome.suspend) await this.jobs.requeue('workspaces.suspend', { workspaceId });
    if (outcome.newlyEnded) await this.enqueueTeardown(workspaceId, delayMs);
    return [
      outcome.suspend ? 'access ended, tool scaled to zero' : 'access ended',
      outcome.newlyEnded ? `teardown in ${this.config.workspaceTeardownGraceMinutes} min` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }

  /** Records when the workspace goes and enqueues the teardown for then; the reconciler catches a lost job. */
  async scheduleTeardown(workspaceId: string, delayMs: number): Promise<void> {
    const due = new Date(Date.now() + delayMs);
    await this.dataSource
      .getRepository(WorkspaceEntity)
      .update({ id: workspaceId, state: Not('deleted') }, { teardownDueAt: due });
    await this.enqueueTeardown(workspaceId, delayMs);
  }

  private async enqueueTeardown(workspaceId: string, delayMs: number): Promise<void> {
    const queue = this.jobs.queue('workspaces');
    const existing = await queue.getJob(`workspaces.teardown-${workspaceId}`);
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    await this.jobs.enqueue('workspaces.teardown', { workspaceId }, delayMs);
  }

  // --- the API ---------------------------------------------------------------------------------------------

  /**
   * Newest first; the id breaks ties in creation time so that pages neither repeat nor skip a workspace. A
   * prepared statement read raw (`workspacePage`): the dashboard polls it, and the query builder's page, its
   * count and the caller's projects were three round trips and a hydration.
   */
  async list(user: AuthenticatedUser, paging: { page: number; pageSize: number }): Promise<WorkspacePage> {
    const { rows, total } = await workspacePage(this.dataSource, user, paging);
    const cluster = this.clusterFacts();
    return { items: rows.map((row) => workspaceView(row, cluster)), total, ...paging };
  }

  async detail(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceView> {
    const workspace = await this.visible(user, workspaceId);
    return workspaceView(workspace, this.clusterFacts());
  }

  async suspendAs(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceView> {
    await this.assertLeadOrAdmin(user, workspaceId, 'suspend');
    await this.suspend(workspaceId, user.id);
    return this.detail(user, workspaceId);
  }

  async resumeAs(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceView> {
    const workspace = await this.assertLeadOrAdmin(user, workspaceId, 'resume');
    const project = await this.projects.statusOf(workspace.projectId);
    if (project?.status !== 'approved') {
      throw new ConflictError(
        `The project is ${project?.status ?? 'gone'}, not approved: its workspace cannot be resumed`,
      );
    }
    await this.resume(workspaceId, user.id);
    return this.detail(user, workspaceId);
  }

  /** Admin: tear down now. Refused (409) for a workspace already deleted. */
  async deleteAs(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceView> {
    await this.store.transaction(async (manager) => {
      const workspace = await this.store.lock(manager, workspaceId);
      await this.store.transition(manager, workspace, 'deprovision', { requestedBy: 'admin' }, user.id);
      await this.store.beginOperation(manager, workspace, 'teardown', [
        'revoke-load-grants',
        'delete-namespace',
        'namespace-gone',
      ]);
    });
    await this.scheduleTeardown(workspaceId, 0);
    return this.detail(user, workspaceId);
  }

  private clusterFacts(): ClusterFacts {
    return clusterFacts(clusterAttached(this.driver), this.driver.describe());
  }

  /** Members with a current accreditation see their projects' workspaces; admins all; others get a 404. */
  private async visible(user: AuthenticatedUser, workspaceId: string): Promise<WorkspaceRow> {
    // The workspace and the caller's membership of its project in one prepared read (the web app polls this).
    const workspace = await workspaceWithStanding(this.dataSource, user, workspaceId);
    if (!workspace) throw new NotFoundError('Workspace', workspaceId);
    if (user.roles.includes('admin')) return workspace;
    const accreditation = accreditationOf(workspace.callerStanding);
    if (accreditation === 'none') throw new NotFoundError('Workspace', workspaceId);
    if (accreditation === 'lapsed') {
      throw new ForbiddenError('Your accreditation has lapsed: renew it to reach this workspace');
    }
    return workspace;
  }

  private async assertLeadOrAdmin(
    user: AuthenticatedUser,
    workspaceId: string,
    action: string,
  ): Promise<WorkspaceRow> {
    const workspace = await this.visible(user, workspaceId);
    if (user.roles.includes('admin')) return workspace;
    const project = await this.projects.statusOf(workspace.projectId);
    if (project?.leadId !== user.id)
      throw new ForbiddenError(`Only the project lead or an admin may ${action} a workspace`);
    return workspace;
  }
}
