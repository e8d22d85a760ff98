import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, Not } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { JobQueue } from '@tre/core';
import type { ClusterDriver, ManagedKind } from '../cluster/cluster-driver';
import { COLLECTOR_GRANT_LEDGER, type CollectorGrantLedger } from '../collecting/collector-grant-ledger';
import { WorkspaceEntity } from '../entities/workspace.entity';
import { workspaceSpecOf } from '../entities/workspace-spec-of';
import { LIVE_STATES, OWNING_STATES } from '../lifecycle/workspace-state';
import { desiredWorkspaceObjects } from '../manifests/desired-objects';
import { driftBetween } from '../manifests/drift';
import type { KubeObject } from '../manifests/kube-types';
import { buildToolDeployment } from '../manifests/tool';
import { collectorObjectNames } from '../manifests/collector';
import { COLLECT_GRANT_LABEL, COMPONENT_LABEL } from '../manifests/labels';
import { WORKSPACE_OBJECT_NAMES, canonicalUuid } from '../manifests/names';
import type { WorkspaceSettings } from '../manifests/workspace-settings';
import { LOAD_TOKEN_SECRET_NAME } from './provision-steps';
import { CLUSTER_DRIVER, WORKSPACE_SETTINGS } from './tokens';
import { WorkspaceProvisioner } from './workspace-provisioner';
import { WorkspaceStore } from './workspace-store';

export interface Repair {
  workspaceId: string;
  kind: string;
  name: string;
  /** `missing`, `drifted` (with the paths), or `leftover` (a loader object outside a load, a dead collection's). */
  what: 'missing' | 'drifted' | 'leftover';
  paths: string[];
}

export interface ReconcileReport {
  checked: number;
  repairs: Repair[];
  orphanNamespaces: string[];
  cleanedUp: string[];
  teardownsEnqueued: string[];
  /** Workspaces left requested or provisioning with no job to finish them (a job lost or failed by stalling). */
  provisionsRequeued: string[];
}

/**
 * Keeps live workspaces as they should be. Drift is repaired by applying the desired object again (the
 * apply takes back every field we own); each repair is an audit event. Namespaces labelled as ours that no
 * workspace owns are reported, not deleted: such a namespace may hold a researcher's outputs, and the label
 * alone is no proof it is ours to destroy. A failed workspace's namespace (cleanup pending) is different: the
 * row says it is ours and dead, so it is deleted.
 */
@Injectable()
export class WorkspaceReconciler {
  private readonly logger = new Logger(WorkspaceReconciler.name);
  private readonly reportedOrphans = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKSPACE_SETTINGS) private readonly settings: WorkspaceSettings,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly provisioner: WorkspaceProvisioner,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly store: WorkspaceStore,
    @Optional() @Inject(COLLECTOR_GRANT_LEDGER) private readonly collections?: CollectorGrantLedger,
  ) {}

  async reconcile(now: Date = new Date()): Promise<ReconcileReport> {
    const repository = this.dataSource.getRepository(WorkspaceEntity);
    const report: ReconcileReport = {
      checked: 0,
      repairs: [],
      orphanNamespaces: [],
      cleanedUp: [],
      teardownsEnqueued: [],
      provisionsRequeued: [],
    };
    const live = await repository.find({ where: { state: In([...LIVE_STATES]) } });
    for (const workspace of live) {
      report.checked++;
      report.repairs.push(...(await this.repair(workspace)));
    }
    for (const failed of await repository.find({ where: { state: 'failed', cleanupPending: true } })) {
      if (await this.provisioner.cleanUpFailed(failed, failed.failureReason ?? 'failed')) {
        report.cleanedUp.push(failed.namespace);
        await this.record(failed, 'workspace.namespace_cleaned_up', { namespace: failed.namespace });
      }
    }
    const due = await repository.find({
      where: { teardownDueAt: LessThanOrEqual(now), state: Not(In(['deleted'])) },
    });
    for (const workspace of due) {
      const job = await this.jobs.queue('workspaces').getJob(`workspaces.teardown-${workspace.id}`);
      if (job && !(await job.isCompleted()) && !(await job.isFailed())) continue;
      if (job) await job.remove();
      await this.jobs.enqueue('workspaces.teardown', { workspaceId: workspace.id });
      report.teardownsEnqueued.push(workspace.id);
    }
    const unfinished = await repository.find({ where: { state: In(['requested', 'provisioning']) } });
    for (const workspace of unfinished) {
      const job = await this.jobs.queue('workspaces').getJob(`workspaces.provision-${workspace.id}`);
      if (job && !(await job.isCompleted()) && !(await job.isFailed())) continue;
      // A job that ended without marking the row (it stalled too often, or was removed) resumes from the steps.
      await this.jobs.requeue('workspaces.provision', { workspaceId: workspace.id });
      report.provisionsRequeued.push(workspace.id);
    }
    report.orphanNamespaces = await this.orphans();
    return report;
  }

  /**
   * The rows were read at the start of the pass; by now a workspace may have been suspended, resumed, ended or
   * torn down. So a workspace no longer live is skipped, and the tool's Deployment (the one object whose desired
   * state follows the row) is compared and applied under the row's lock, at the replicas the row allows then.
   */
  private async repair(candidate: WorkspaceEntity): Promise<Repair[]> {
    const workspace = await this.store.byId(candidate.id);
    if (!workspace || !LIVE_STATES.includes(workspace.state)) return [];
    const spec = workspaceSpecOf(workspace);
    const repairs: Repair[] = [];
    for (const desired of desiredWorkspaceObjects(spec, this.settings, { replicas: 0 })) {
      const repair =
        desired.kind === 'Deployment'
          ? await this.store.withToolAllowance(workspace.id, (allowed, fresh) =>
              fresh && LIVE_STATES.includes(fresh.state)
                ? this.repairObject(
                    workspace,
                    buildToolDeployment(spec, this.settings, { replicas: allowed }),
                  )
                : Promise.resolve(undefined),
            )
          : await this.repairObject(workspace, desired);
      if (!repair) continue;
      repairs.push(repair);
      await this.record(workspace, 'workspace.repaired', {
        kind: repair.kind,
        object: repair.name,
        what: repair.what,
        paths: repair.paths,
      });
    }
    // Outside a load there is no way out and no token: remove what an interrupted load may have left.
    for (const [kind, name] of [
      ['NetworkPolicy', WORKSPACE_OBJECT_NAMES.loaderEgressPolicy],
      ['Secret', LOAD_TOKEN_SECRET_NAME],
    ] as const) {
      if (await this.driver.delete(kind, workspace.namespace, name)) {
        repairs.push({ workspaceId: workspace.id, kind, name, what: 'leftover', paths: [] });
        await this.record(workspace, 'workspace.repaired', {
          kind,
          object: name,
          what: 'leftover',
          paths: [],
        });
      }
    }
    repairs.push(...(await this.removeCollectorLeftovers(workspace)));
    return repairs;
  }

  /**
   * A collection's Job, Secret and egress policy live only while its grant does; the worker removes them when
   * the collection ends. Those of a dead grant (a worker that died mid-collection, or a clean-up the cluster
   * refused) are removed here: found by their labels (Jobs and policies; Secrets cannot be listed, so they go
   * by the name the grant gives them) and by the collections whose clean-up never finished.
   */
  private async removeCollectorLeftovers(workspace: WorkspaceEntity): Promise<Repair[]> {
    if (!this.collections) return [];
    const selector = `${COMPONENT_LABEL}=collector`;
    const labelled = [
      ...(await this.driver.listLabelled('Job', workspace.namespace, selector)),
      ...(await this.driver.listLabelled('NetworkPolicy', workspace.namespace, selector)),
    ];
    const grantIds = new Set<string>(await this.collections.unfinishedCleanUps(workspace.id));
    for (const object of labelled) {
      const grantId = canonicalUuid(object.metadata.labels?.[COLLECT_GRANT_LABEL] ?? '');
      if (grantId) grantIds.add(grantId);
    }
    if (grantIds.size === 0) return [];
    const inUse = await this.collections.grantsInUse([...grantIds]);
    const dead = [...grantIds].filter((id) => !inUse.has(id));
    const repairs: Repair[] = [];
    for (const grantId of dead) {
      const names = collectorObjectNames(grantId);
      for (const [kind, name] of [
        ['Job', names.job],
        ['NetworkPolicy', names.policy],
        ['Secret', names.secret],
      ] as const) {
        if (!(await this.driver.delete(kind, workspace.namespace, name))) continue;
        repairs.push({ workspaceId: workspace.id, kind, name, what: 'leftover', paths: [] });
        await this.record(workspace, 'workspace.repaired', {
          kind,
          object: name,
          what: 'leftover',
          paths: [],
          grantId,
        });
      }
    }
    await this.collections.cleanedUp(dead);
    return repairs;
  }

  /** Applies `desired` again if it is missing or has drifted; says what it repaired. */
  private async repairObject(workspace: WorkspaceEntity, desired: KubeObject): Promise<Repair | undefined> {
    const kind = desired.kind as ManagedKind;
    const current = await this.driver.get(kind, desired.metadata.namespace, desired.metadata.name);
    const paths = current ? driftBetween(desired, current).map((drift) => drift.path) : [];
    if (current && paths.length === 0) return undefined;
    await this.driver.apply(desired);
    return {
      workspaceId: workspace.id,
      kind: desired.kind,
      name: desired.metadata.name,
      what: current ? 'drifted' : 'missing',
      paths: paths.slice(0, 20),
    };
  }

  private async orphans(): Promise<string[]> {
    const namespaces = await this.driver.listManagedNamespaces();
    if (namespaces.length === 0) return [];
    const owners = await this.dataSource.getRepository(WorkspaceEntity).find({
      select: { namespace: true },
      where: [
        { namespace: In(namespaces.map((n) => n.metadata.name)), state: In([...OWNING_STATES]) },
        {
          namespace: In(namespaces.map((n) => n.metadata.name)),
          cleanupPending: true,
        },
      ],
    });
    const owned = new Set(owners.map((owner) => owner.namespace));
    const orphans = namespaces
      .filter((namespace) => !owned.has(namespace.metadata.name) && !namespace.metadata.deletionTimestamp)
      .map((namespace) => namespace.metadata.name)
      .sort();
    for (const name of orphans.filter((orphan) => !this.reportedOrphans.has(orphan))) {
      this.reportedOrphans.add(name);
      this.logger.warn({ namespace: name }, 'A namespace labelled as ours has no live workspace');
      await this.dataSource.transaction((manager) =>
        this.audit.append(manager, {
          action: 'workspace.orphan_namespace_found',
          // The namespace is the subject: no workspace row owns it, and a listing shows the subject, not details.
          subjectType: 'namespace',
          subjectId: name,
          actorId: SYSTEM_ACTOR.worker,
          details: { namespace: name, where: this.driver.describe() },
        }),
      );
    }
    return orphans;
  }

  private record(workspace: WorkspaceEntity, action: string, details: Record<string, unknown>) {
    return this.dataSource.transaction((manager) =>
      this.audit.append(manager, {
        action,
        subjectType: 'workspace',
        subjectId: workspace.id,
        actorId: SYSTEM_ACTOR.worker,
        details: { projectId: workspace.projectId, ...details },
      }),
    );
  }
}
