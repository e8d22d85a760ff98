import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import type { ClusterDriver } from '../cluster/cluster-driver';
import type { WorkspaceEntity } from '../entities/workspace.entity';
import { workspaceSpecOf } from '../entities/workspace-spec-of';
import { canTransition, type WorkspaceOperation } from '../lifecycle/workspace-state';
import { LOAD_TOKEN_ISSUER, type LoadTokenIssuer } from '../loading/load-token-issuer';
import { WORKSPACE_OBJECT_NAMES } from '../manifests/names';
import type { WorkspaceSettings } from '../manifests/workspace-settings';
import { clusterAttached, ensureObjects, waitFor } from './cluster-ops';
import { buildToolDeployment } from '../manifests/tool';
import {
  PROVISION_STEPS,
  PROVISION_STEP_NAMES,
  scaleSteps,
  type ExtractLookup,
  type ProvisionContext,
} from './provision-steps';
import { runSteps, type AttemptInfo, type StepDefinition, type StepRunnerOptions } from './step-runner';
import { CLUSTER_DRIVER, EXTRACT_LOOKUP, WORKSPACE_SETTINGS } from './tokens';
import { WorkspaceStore } from './workspace-store';

export interface JobAttemptInfo {
  attempt: number;
  maxAttempts: number;
}

/**
 * The cluster side of the lifecycle. Each operation is a list of recorded, idempotent steps run by runSteps;
 * a job that runs again (a retry, a duplicate, another worker after a crash) resumes from what is recorded.
 */
@Injectable()
export class WorkspaceProvisioner {
  private readonly logger = new Logger(WorkspaceProvisioner.name);
  /** Shorter waits and quicker retries in tests; production uses the defaults. */
  runnerOptions?: StepRunnerOptions;
  pollMs = 1_000;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKSPACE_SETTINGS) readonly settings: WorkspaceSettings,
    @Inject(CLUSTER_DRIVER) readonly driver: ClusterDriver,
    @Inject(EXTRACT_LOOKUP) private readonly extracts: ExtractLookup,
    private readonly store: WorkspaceStore,
    @Inject(LOAD_TOKEN_ISSUER) private readonly issuer: LoadTokenIssuer,
  ) {}

  describeCluster(): string {
    return this.driver.describe();
  }

  async provision(workspaceId: string, attempt: JobAttemptInfo): Promise<'ready' | 'nothing to do'> {
    const workspace = await this.store.transaction(async (manager) => {
      const locked = await this.store.lock(manager, workspaceId);
      if (locked.state === 'requested') await this.store.transition(manager, locked, 'provision');
      if (locked.state !== 'provisioning') return undefined;
      await this.store.beginOperation(manager, locked, 'provision', PROVISION_STEP_NAMES);
      return locked;
    });
    if (!workspace) return 'nothing to do';
    await this.run(workspace, 'provision', PROVISION_STEPS, attempt);
    return this.store.transaction(async (manager) => {
      const locked = await this.store.lock(manager, workspaceId);
      if (locked.state !== 'provisioning') return 'nothing to do';
      await this.store.transition(manager, locked, 'become_ready', { namespace: locked.namespace });
      return 'ready';
    });
  }

  /**
   * After the last attempt (or a permanent error): the workspace is failed and its namespace deleted, taking
   * every object with it. If even that fails, the row says so and the reconciler deletes it later.
   */
  async failProvisioning(workspaceId: string, reason: string): Promise<void> {
    const failed = await this.store.transaction(async (manager) => {
      const locked = await this.store.lock(manager, workspaceId);
      if (!canTransition(locked.state, 'fail')) return undefined;
      await this.store.transition(manager, locked, 'fail', { reason: reason.slice(0, 500) });
      return locked;
    });
    if (!failed) return;
    await this.cleanUpFailed(failed, reason);
  }

  /** Deletes the namespace of a failed workspace; records it for the reconciler when the cluster refuses. */
  async cleanUpFailed(workspace: WorkspaceEntity, reason: string): Promise<boolean> {
    try {
      await this.issuer.revoke(workspace.id);
      await this.driver.delete('Namespace', undefined, workspace.namespace);
      await this.store.setFailureReason(workspace.id, reason, false);
      return true;
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        { workspaceId: workspace.id, namespace: workspace.namespace, err: why },
        'Could not delete the namespace of a failed workspace; the reconciler will',
      );
      await this.store.setFailureReason(workspace.id, `${reason}; cleanup pending: ${why}`, true);
      return false;
    }
  }

  suspend(workspaceId: string, attempt: JobAttemptInfo): Promise<void> {
    return this.runScale(workspaceId, 'suspend', 0, attempt);
  }

  resume(workspaceId: string, attempt: JobAttemptInfo): Promise<void> {
    return this.runScale(workspaceId, 'resume', 1, attempt);
  }

  private async runScale(
    workspaceId: string,
    operation: 'suspend' | 'resume',
    replicas: 0 | 1,
    attempt: JobAttemptInfo,
  ): Promise<void> {
    const workspace = await this.store.byId(workspaceId);
    // The state changed when the suspension was asked for; the job brings the cluster in line with it.
    if (!workspace || workspace.operation !== operation) return;
    if (workspace.steps.every((step) => step.state === 'done' || step.state === 'skipped')) return;
    await this.run(workspace, operation, scaleSteps(replicas), attempt);
  }

  async teardown(workspaceId: string, attempt: JobAttemptInfo): Promise<'deleted' | 'nothing to do'> {
    const workspace = await this.store.transaction(async (manager) => {
      const locked = await this.store.lock(manager, workspaceId);
      if (locked.state === 'deleted') return undefined;
      if (locked.state !== 'deprovisioning') await this.store.transition(manager, locked, 'deprovision');
      await this.store.beginOperation(manager, locked, 'teardown', TEARDOWN_STEP_NAMES);
      return locked;
    });
    if (!workspace) return 'nothing to do';
    await this.run(workspace, 'teardown', this.teardownSteps(), attempt);
    return this.store.transaction(async (manager) => {
      const locked = await this.store.lock(manager, workspaceId);
      if (locked.state !== 'deprovisioning') return 'nothing to do';
      await this.store.transition(manager, locked, 'mark_deleted', { namespace: locked.namespace });
      return 'deleted';
    });
  }

  private teardownSteps(): StepDefinition<ProvisionContext>[] {
    return [
      {
        name: 'revoke-load-grants',
        run: (c) => c.issuer.revoke(c.spec.workspaceId),
      },
      {
        name: 'delete-namespace',
        run: async (c) => ({
          note: (await c.driver.delete('Namespace', undefined, namespaceOf(c)))
            ? 'deletion requested'
            : 'already gone',
        }),
      },
      {
        name: 'namespace-gone',
        run: async (c) => {
          if (!clusterAttached(c.driver))
            return { skipped: 'no cluster attached: the manifests were removed' };
          await waitFor(
            async () => {
              const live = await c.driver.get('Namespace', undefined, namespaceOf(c));
              if (!live) return true;
              if (this.config.workspaceClearPvcFinalizers && c.driver.clearFinalizers) {
                for (const claim of [WORKSPACE_OBJECT_NAMES.dataClaim, WORKSPACE_OBJECT_NAMES.outputsClaim]) {
                  await c.driver.clearFinalizers('PersistentVolumeClaim', namespaceOf(c), claim);
                }
              }
              return undefined;
            },
            c.waitTimeoutMs,
            c.pollMs,
            `namespace ${namespaceOf(c)} to be gone`,
          );
        },
      },
    ];
  }

  contextFor(workspace: WorkspaceEntity): ProvisionContext {
    const spec = workspaceSpecOf(workspace);
    return {
      spec,
      namespace: workspace.namespace,
      approvalId: workspace.approvalId,
      settings: this.settings,
      driver: this.driver,
      issuer: this.issuer,
      extracts: this.extracts,
      tokenTtlSeconds: this.config.workspaceLoadTokenTtlSeconds,
      waitTimeoutMs: this.config.workspaceStepTimeoutSeconds * 1000,
      pollMs: this.pollMs,
      applyTool: (replicas, readFirst) =>
        this.store.withToolAllowance(workspace.id, async (allowed) => {
          const granted = Math.min(replicas, allowed) as 0 | 1;
          const deployment = buildToolDeployment(spec, this.settings, { replicas: granted });
          return { outcome: await ensureObjects(this.driver, [deployment], readFirst), replicas: granted };
        }),
    };
  }

  private async run(
    workspace: WorkspaceEntity,
    operation: WorkspaceOperation,
    steps: readonly StepDefinition<ProvisionContext>[],
    attempt: JobAttemptInfo,
  ): Promise<void> {
    const info: AttemptInfo = { ...attempt, retryDelaySeconds: this.config.workspaceRetryDelaySeconds };
    const journal = await this.store.claimSteps(workspace.id, operation);
    return runSteps(steps, journal, this.contextFor(workspace), info, this.runnerOptions);
  }
}

const namespaceOf = (context: ProvisionContext): string => context.namespace;

export const TEARDOWN_STEP_NAMES = ['revoke-load-grants', 'delete-namespace', 'namespace-gone'];
