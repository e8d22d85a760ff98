import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';
import { withTimeout } from '../util/with-timeout';

/** One registry per process; the API and the worker each expose theirs on /metrics. */
export function createMetricsRegistry(app: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry, prefix: 'tre_' });
  return registry;
}

export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  return new Histogram({
    name: 'tre_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

/**
 * Queue depth per state, and job outcomes counted by BullMQ itself in Redis (worker `metrics` option), so
 * every API and worker replica reports the same cluster-wide figures.
 */
export function registerQueueMetrics(registry: Registry, queues: () => Queue[], timeoutMs = 1_000): void {
  // 0 while Redis does not answer: the queue figures are then missing rather than /metrics failing whole.
  const reachable = new Gauge({
    name: 'tre_queue_redis_up',
    help: '1 if Redis answered the last collection of queue figures, 0 if it did not',
    registers: [registry],
  });
  const fromRedis = async <T>(work: Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(work, timeoutMs);
    } catch {
      reachable.set(0);
      return undefined;
    }
  };
  new Gauge({
    name: 'tre_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      reachable.set(1);
      for (const queue of queues()) {
        const counts = await fromRedis(
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
        );
        if (!counts) return;
        for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
      }
    },
  });
  new Gauge({
    name: 'tre_jobs_finished_total',
    help: 'Jobs finished since the queue was created, by outcome (counted by the workers in Redis)',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues()) {
        for (const outcome of ['completed', 'failed'] as const) {
          const metrics = await fromRedis(queue.getMetrics(outcome, 0, 0));
          if (!metrics) return;
          this.set({ queue: queue.name, outcome }, metrics.meta.count);
        }
      }
    },
  });
}

export function jobAttemptCounter(registry: Registry): Counter<'job' | 'outcome'> {
  return new Counter({
    name: 'tre_job_attempts_total',
    help: 'Job attempts handled by this worker process, by job name and outcome',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
}
