import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { NotFoundError, Outbox, type DomainEventType } from '@tre/core';
import { WorkspaceEntity } from '../entities/workspace.entity';
import {
  allowedToolReplicas,
  nextWorkspaceState,
  pendingStep,
  type WorkspaceAction,
  type WorkspaceOperation,
  type WorkspaceState,
  type WorkspaceStep,
} from '../lifecycle/workspace-state';
import { workspaceNamespaceName } from '../manifests/names';
import type { WorkspaceSize, WorkspaceTool } from '../manifests/workspace-settings';
import { OperationSuperseded, type StepJournal } from './step-runner';

/** Transitions that announce themselves to the rest of the service. */
const ANNOUNCED: Partial<Record<WorkspaceAction, DomainEventType>> = {
  become_ready: 'workspace.ready',
  fail: 'workspace.failed',
  suspend: 'workspace.suspended',
  resume: 'workspace.resumed',
  // Announced so the access gateway cuts the workspace's sessions at once, not only once it is gone.
  deprovision: 'workspace.deprovisioning',
  mark_deleted: 'workspace.deleted',
};

const PAST: Record<WorkspaceAction, string> = {
  provision: 'provisioning',
  become_ready: 'ready',
  fail: 'failed',
  suspend: 'suspended',
  resume: 'resumed',
  deprovision: 'deprovisioning',
  mark_deleted: 'deleted',
};

/** The state an operation works in: its steps are recorded only while the workspace is in it. */
export const OPERATION_STATE: Record<WorkspaceOperation, WorkspaceState> = {
  provision: 'provisioning',
  suspend: 'suspended',
  resume: 'ready',
  teardown: 'deprovisioning',
};

export interface WorkspaceRequest {
  approvalId: string;
  projectId: string;
  size: WorkspaceSize;
  tool: WorkspaceTool;
  namespacePrefix: string;
}

/**
 * The workspace rows: every state change goes through `transition` (the table decides; the row is locked; the
 * audit event and the domain event commit with it), and steps are recorded through a journal bound to one
 * operation, which refuses to write once the workspace has left that operation's state.
 */
@Injectable()
export class WorkspaceStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
  ) {}

  byId(id: string): Promise<WorkspaceEntity | null> {
    return this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id });
  }

  async lock(manager: EntityManager, id: string): Promise<WorkspaceEntity> {
    const workspace = await manager.findOne(WorkspaceEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!workspace) throw new NotFoundError('Workspace', id);
    return workspace;
  }

  /**
   * Runs `scale` holding the row's lock, with the tool replicas the row allows as it stands now (null when the
   * row is gone). A suspension or an end of access that commits while a reconcile or a resume is under way
   * waits for the lock and then brings its own scale-down, or has already committed and is read here: either
   * way the last word on replicas is the row's. The lock is held for one or two cluster calls only.
   */
  async withToolAllowance<T>(
    workspaceId: string,
    scale: (allowed: 0 | 1, workspace: WorkspaceEntity | null) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const workspace = await manager.findOne(WorkspaceEntity, {
        where: { id: workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      return scale(workspace ? allowedToolReplicas(workspace) : 0, workspace);
    });
  }

  /** The workspace of an approval, created `requested` if it does not exist yet (a repeated request adds nothing). */
  async request(input: WorkspaceRequest): Promise<{ workspace: WorkspaceEntity; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(WorkspaceEntity, { approvalId: input.approvalId });
      if (existing) return { workspace: existing, created: false };
      const id = randomUUID();
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(WorkspaceEntity)
        .values({
          id,
          projectId: input.projectId,
          approvalId: input.approvalId,
          size: input.size,
          tool: input.tool,
          namespace: workspaceNamespaceName(input.namespacePrefix, id),
          state: 'requested',
          steps: [],
        })
        .orIgnore()
        .returning('id')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) {
        const raced = await manager.findOneByOrFail(WorkspaceEntity, { approvalId: input.approvalId });
        return { workspace: raced, created: false };
      }
      const workspace = await manager.findOneByOrFail(WorkspaceEntity, { id });
      await this.audit.append(manager, {
        action: 'workspace.requested',
        subjectType: 'workspace',
        subjectId: id,
        actorId: SYSTEM_ACTOR.worker,
        details: {
          projectId: input.projectId,
          approvalId: input.approvalId,
          size: input.size,
          tool: input.tool,
        },
      });
      await this.outbox.record(
        manager,
        'workspace.requested',
        { type: 'workspace', id },
        { workspaceId: id, projectId: input.projectId },
      );
      return { workspace, created: true };
    });
  }

  /** Changes the state by the table (a 409 naming why when it refuses), with its audit and domain events. */
  async transition(
    manager: EntityManager,
    workspace: WorkspaceEntity,
    action: WorkspaceAction,
    details: Record<string, unknown> = {},
    actorId?: string,
  ): Promise<void> {
    const from = workspace.state;
    workspace.state = nextWorkspaceState(from, action);
    await manager.update(WorkspaceEntity, { id: workspace.id }, { state: workspace.state });
    await this.audit.append(manager, {
      action: `workspace.${PAST[action]}`,
      subjectType: 'workspace',
      subjectId: workspace.id,
      actorId: actorId ?? SYSTEM_ACTOR.worker,
      details: { from, to: workspace.state, projectId: workspace.projectId, ...details },
    });
    const event = ANNOUNCED[action];
    if (event) {
      await this.outbox.record(
        manager,
        event,
        { type: 'workspace', id: workspace.id },
        { workspaceId: workspace.id, projectId: workspace.projectId },
      );
    }
  }

  /** The audit event of an end of access (the project ended): when the workspace goes, and what it was. */
  async recordAccessEnded(
    manager: EntityManager,
    workspace: WorkspaceEntity,
    projectStatus: string,
  ): Promise<void> {
    await this.audit.append(manager, {
      action: 'workspace.access_ended',
      subjectType: 'workspace',
      subjectId: workspace.id,
      actorId: SYSTEM_ACTOR.worker,
      details: {
        projectId: workspace.projectId,
        projectStatus,
        state: workspace.state,
        teardownDueAt: workspace.teardownDueAt?.toISOString() ?? null,
      },
    });
  }

  /** Makes `operation` the current one; its steps start pending unless an interrupted run of it left some. */
  async beginOperation(
    manager: EntityManager,
    workspace: WorkspaceEntity,
    operation: WorkspaceOperation,
    stepNames: readonly string[],
  ): Promise<void> {
    const resumable =
      workspace.operation === operation &&
      workspace.steps.length === stepNames.length &&
      workspace.steps.every((step, index) => step.name === stepNames[index]) &&
      !workspace.steps.some((step) => step.state === 'failed');
    if (resumable) return;
    workspace.operation = operation;
    workspace.steps = stepNames.map(pendingStep);
    await manager.update(
      WorkspaceEntity,
      { id: workspace.id },
      { operation, steps: workspace.steps, failureReason: null },
    );
  }

  /**
   * Claims the row's steps for one run of `operation` and returns its journal. Each claim takes the row from
   * any earlier run: a worker that lost its job's lock but is still running (stalled, not dead) has its next
   * record refused (OperationSuperseded) and stops, so only the run that took the job over works on. The
   * journal records while the workspace is in that operation's state and the claim is this run's.
   */
  async claimSteps(workspaceId: string, operation: WorkspaceOperation): Promise<StepJournal> {
    const state = OPERATION_STATE[operation];
    const runId = randomUUID();
    const superseded = () =>
      new OperationSuperseded(
        `workspace ${workspaceId} is no longer in this run of its ${operation} operation`,
      );
    const claimed = await this.dataSource.query<[{ steps: WorkspaceStep[] }[], number]>(
      `UPDATE workspaces SET run_id = $2 WHERE id = $1 AND operation = $3 AND state = $4 RETURNING steps`,
      [workspaceId, runId, operation, state],
    );
    if (claimed[1] === 0) throw superseded();
    const claimedSteps = claimed[0][0].steps;
    return {
      steps: async () => claimedSteps,
      update: async (index: number, patch: Partial<WorkspaceStep>) => {
        // One statement: merge the patch into the step in place, only while this run still owns the row.
        const result = await this.dataSource.query<[unknown[], number]>(
          `UPDATE workspaces
              SET steps = jsonb_set(steps, ARRAY[$2::text], (steps -> $2::int) || $3::jsonb), updated_at = now()
            WHERE id = $1 AND operation = $4 AND state = $5 AND run_id = $6 AND jsonb_array_length(steps) > $2::int`,
          [workspaceId, index, JSON.stringify(patch), operation, state, runId],
        );
        if (result[1] === 0) throw superseded();
      },
    };
  }

  async setFailureReason(
    workspaceId: string,
    reason: string | null,
    cleanupPending?: boolean,
  ): Promise<void> {
    await this.dataSource.getRepository(WorkspaceEntity).update(
      { id: workspaceId },
      {
        failureReason: reason?.slice(0, 2000) ?? null,
        ...(cleanupPending === undefined ? {} : { cleanupPending }),
      },
    );
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
