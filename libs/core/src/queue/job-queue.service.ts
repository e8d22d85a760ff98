import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/settings';
import { JOBS, QUEUES, RETENTION, type JobName, type JobPayloads, type QueueName } from './jobs';
import { redisOptionsFromUrl } from './redis-options';

/** The typed way to put work on the queues; the catalogue in jobs.ts supplies ids, retries and retention. */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisOptionsFromUrl(this.config.redisUrl),
        prefix: this.config.queuePrefix,
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return QUEUES.map((name) => this.queue(name));
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], delayMs = 0): Promise<string> {
    const spec = JOBS[name];
    const job = await this.queue(spec.queue).add(name, payload, {
      ...spec.options,
      ...RETENTION,
      jobId: spec.jobId(payload),
      delay: delayMs,
    });
    return job.id ?? spec.jobId(payload);
  }

  /**
   * Enqueues work again under its fixed id: a finished (completed or failed) job with that id is removed first,
   * since BullMQ otherwise ignores the new one as a duplicate. A job still waiting or running is left as is.
   */
  async requeue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<string> {
    const spec = JOBS[name];
    const existing = await this.queue(spec.queue).getJob(spec.jobId(payload));
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    return this.enqueue(name, payload);
  }

  /** Runs a job on a fixed interval; upserting keeps one schedule however many replicas start. */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    const spec = JOBS[name];
    await this.queue(spec.queue).upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data: payload, opts: { ...spec.options, ...RETENTION } },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
