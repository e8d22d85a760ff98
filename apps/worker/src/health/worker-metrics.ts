import { Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { createMetricsRegistry, jobAttemptCounter, JobQueue, registerQueueMetrics } from '@tre/core';

@Injectable()
export class WorkerMetrics {
  readonly registry: Registry;
  readonly jobAttempts: Counter<'job' | 'outcome'>;
  /** 1 when the last scheduled verification found the audit chain intact, 0 when it found a break. */
  readonly auditChainValid: Gauge;
  readonly auditChainLength: Gauge;
  readonly workspaceRepairs: Counter<'kind'>;
  readonly orphanNamespaces: Gauge;

  constructor(jobs: JobQueue) {
    this.registry = createMetricsRegistry('worker');
    this.jobAttempts = jobAttemptCounter(this.registry);
    registerQueueMetrics(this.registry, () => jobs.allQueues());
    this.auditChainValid = new Gauge({
      name: 'tre_audit_chain_valid',
      help: '1 if the last verification of the audit chain succeeded, 0 if it found tampering, NaN before the first',
      registers: [this.registry],
    });
    // NaN until this process has verified the chain, so an alert never mistakes "not yet" for "broken".
    this.auditChainValid.set(Number.NaN);
    this.auditChainLength = new Gauge({
      name: 'tre_audit_chain_events',
      help: 'Events in the audit chain at the last verification',
      registers: [this.registry],
    });
    this.workspaceRepairs = new Counter({
      name: 'tre_workspace_repairs_total',
      help: 'Workspace objects the reconciler restored (missing, drifted, or a loader leftover), by kind',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.orphanNamespaces = new Gauge({
      name: 'tre_workspace_orphan_namespaces',
      help: 'Namespaces labelled as managed by this service that no workspace owns, at the last reconciliation',
      registers: [this.registry],
    });
  }
}
