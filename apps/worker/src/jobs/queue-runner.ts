import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MetricsTime, UnrecoverableError, Worker, type Job } from 'bullmq';
import { APP_CONFIG, QUEUES, redisOptionsFromUrl, requestContext, type AppConfig } from '@tre/core';
import { mailRetryDelayMs } from '@tre/notifications';
import { workspaceRetryDelayMs } from '@tre/workspaces';
import { HandlerRegistry } from './handler-registry';
import { WorkerMetrics } from '../health/worker-metrics';

/**
 * Runs one BullMQ Worker per queue of the catalogue and hands each job to its handler. Shutdown closes the
 * workers, which lets running jobs finish; a worker killed outright leaves its job to be picked up again
 * by another once the lock expires (BullMQ's stalled-job check).
 */
@Injectable()
export class QueueRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueRunner.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: HandlerRegistry,
    private readonly metrics: WorkerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const queue of QUEUES) {
      const workspaces = queue === 'workspaces';
      const worker = new Worker(queue, (job) => this.run(job), {
        connection: redisOptionsFromUrl(this.config.redisUrl),
        prefix: this.config.queuePrefix,
        // Workspace jobs mostly wait on the cluster, so they get their own, larger bound.
        concurrency: workspaces ? this.config.workspaceProvisionConcurrency : this.config.workerConcurrency,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
        ...(workspaces
          ? {
              // A worker that dies mid-operation leaves its job to another once the lock lapses.
              lockDuration: this.config.workspaceJobLockSeconds * 1000,
              stalledInterval: this.config.workspaceJobLockSeconds * 1000,
              maxStalledCount: 3,
            }
          : {}),
        settings: {
          // The catalogue's own backoffs: `workspace`, the delay the recorded steps quote as their next retry,
          // and `mail`, for an SMTP server that is away.
          backoffStrategy: (attemptsMade: number, type?: string) =>
            type === 'mail'
              ? mailRetryDelayMs(attemptsMade, this.config.mailRetryDelaySeconds)
              : workspaceRetryDelayMs(attemptsMade, this.config.workspaceRetryDelaySeconds),
        },
      });
      worker.on('error', (error) => this.logger.error({ err: error, queue }, 'Queue worker error'));
      this.workers.push(worker);
    }
  }

  private async run(job: Job): Promise<void> {
    const handler = this.registry.handlerFor(job.name);
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    const maxAttempts = job.opts.attempts ?? 1;
    const attempt = job.attemptsMade + 1;
    const context = { requestId: `job:${job.id ?? job.name}:${attempt}` };
    try {
      await requestContext.run(context, () =>
        handler.handle(job.data as never, {
          id: job.id ?? job.name,
          attempt,
          maxAttempts,
          progress: (percent, step) => job.updateProgress({ percent, step }),
        }),
      );
      this.metrics.jobAttempts.inc({ job: job.name, outcome: 'completed' });
    } catch (error: unknown) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const final = attempt >= maxAttempts || failure instanceof UnrecoverableError;
      this.metrics.jobAttempts.inc({ job: job.name, outcome: final ? 'failed' : 'retried' });
      this.logger.warn(
        { err: failure, job: job.name, jobId: job.id, attempt, maxAttempts },
        'Job attempt failed',
      );
      if (final && handler.onFinalFailure) {
        await requestContext.run(context, () => handler.onFinalFailure!(job.data as never, failure));
      }
      throw failure;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
