import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/settings';
import { UnavailableError } from '../errors/unavailable-error';
import { withTimeout } from '../util/with-timeout';
import { JOBS, QUEUES, RETENTION, type JobName, type JobPayloads, type QueueName } from './jobs';
import { dropLateConnectionErrors } from './late-connection-errors';
import { redisOptionsFromUrl } from './redis-options';

dropLateConnectionErrors();

/**
 * The typed way to put work on the queues; the catalogue in jobs.ts supplies ids, retries and retention.
 * Nothing here waits on an absent Redis: commands fail at once while it is disconnected, and enqueueing gives
 * up after REDIS_COMMAND_TIMEOUT_MS with an UnavailableError (503 in the API). The work is not lost with the
 * job: Postgres holds what was decided, and the worker's convergence sweep enqueues it again.
 */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueue.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly clients: Redis[] = [];
  private lastErrorLoggedAt = 0;
  /** Set on shutdown: a queue asked for afterwards would open a connection nothing ever closes. */
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (this.closed) throw new Error(`the job queues are closed (shutting down): cannot use queue ${name}`);
      // Our own connection, which BullMQ treats as shared and leaves open on close: closing ends it with a
      // disconnect, which cannot fail. BullMQ's own close sends QUIT, which throws when Redis is away at
      // shutdown (no offline queue) and leaves the client reconnecting forever.
      const client = new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), enableOfflineQueue: false });
      this.clients.push(client);
      queue = new Queue(name, { connection: client, prefix: this.config.queuePrefix });
      // Connection errors come as events while ioredis reconnects (on the client, and through the queue until
      // it closes); said once in a while, not per attempt.
      client.on('error', (error) => this.warnUnreachable(error));
      queue.on('error', (error) => this.warnUnreachable(error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return QUEUES.map((name) => this.queue(name));
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], delayMs = 0): Promise<string> {
    const spec = JOBS[name];
    const job = await this.bounded(
      this.queue(spec.queue).add(name, payload, {
        ...spec.options,
        ...RETENTION,
        jobId: spec.jobId(payload),
        delay: delayMs,
      }),
    );
    return job.id ?? spec.jobId(payload);
  }

  /**
   * Enqueues work again under its fixed id: a finished (completed or failed) job with that id is removed first,
   * since BullMQ otherwise ignores the new one as a duplicate. A job still waiting or running is left as is.
   */
  async requeue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<string> {
    const spec = JOBS[name];
    const existing = await this.bounded(this.queue(spec.queue).getJob(spec.jobId(payload)));
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    return this.enqueue(name, payload);
  }

  /** Runs a job on a fixed interval; upserting keeps one schedule however many replicas start. */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    const spec = JOBS[name];
    await this.bounded(
      this.queue(spec.queue).upsertJobScheduler(
        name,
        { every: everyMs },
        { name, data: payload, opts: { ...spec.options, ...RETENTION } },
      ),
    );
  }

  /** Whether Redis still holds the schedule of this repeating job (it loses it when it loses its data). */
  async isScheduled(name: JobName): Promise<boolean> {
    return Boolean(await this.bounded(this.queue(JOBS[name].queue).getJobScheduler(name)));
  }

  /**
   * Whether the job with this fixed id is still to run (waiting, delayed, active...). A job Redis lost, or one
   * that finished, is not: the convergence sweep's test for work that nothing will do.
   */
  async isLive<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<boolean> {
    const spec = JOBS[name];
    const job = await this.bounded(this.queue(spec.queue).getJob(spec.jobId(payload)));
    if (!job) return false;
    const state = await this.bounded(job.getState());
    return state !== 'completed' && state !== 'failed' && state !== 'unknown';
  }

  private warnUnreachable(error: Error): void {
    if (Date.now() - this.lastErrorLoggedAt < 30_000) return;
    this.lastErrorLoggedAt = Date.now();
    this.logger.warn({ err: error }, 'The job queue cannot reach Redis; reconnecting');
  }

  /** Redis answers within REDIS_COMMAND_TIMEOUT_MS or the caller hears it is unavailable. */
  private async bounded<T>(work: Promise<T>): Promise<T> {
    try {
      return await withTimeout(work, this.config.redisCommandTimeoutMs);
    } catch (error: unknown) {
      throw new UnavailableError(
        'The job queue (Redis)',
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    for (const client of this.clients) client.disconnect();
  }
}
