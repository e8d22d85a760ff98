import { Injectable } from '@nestjs/common';
import type { Histogram, Registry } from 'prom-client';
import { createMetricsRegistry, httpDurationHistogram, JobQueue, registerQueueMetrics } from '@tre/core';

@Injectable()
export class ApiMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(jobs: JobQueue) {
    this.registry = createMetricsRegistry('api');
    this.httpDuration = httpDurationHistogram(this.registry);
    registerQueueMetrics(this.registry, () => jobs.allQueues());
  }
}
