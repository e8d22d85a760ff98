import { Injectable, Logger } from '@nestjs/common';
import { WorkspaceReconciler } from '@tre/workspaces';
import { WorkerMetrics } from '../health/worker-metrics';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

@Injectable()
@HandlesJob('workspaces.reconcile')
export class ReconcileWorkspacesHandler implements JobHandler<'workspaces.reconcile'> {
  private readonly logger = new Logger(ReconcileWorkspacesHandler.name);

  constructor(
    private readonly reconciler: WorkspaceReconciler,
    private readonly metrics: WorkerMetrics,
  ) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    const report = await this.reconciler.reconcile();
    for (const repair of report.repairs) this.metrics.workspaceRepairs.inc({ kind: repair.kind });
    this.metrics.orphanNamespaces.set(report.orphanNamespaces.length);
    if (report.repairs.length || report.orphanNamespaces.length) {
      this.logger.warn(
        { repairs: report.repairs.length, orphanNamespaces: report.orphanNamespaces },
        'Workspace reconciliation repaired drift or found unowned namespaces',
      );
    }
    await attempt.progress(
      100,
      `${report.checked} checked, ${report.repairs.length} repaired, ${report.orphanNamespaces.length} unowned`,
    );
  }
}
