import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, JobQueue, type AppConfig, type JobName } from '@tre/core';

/**
 * The repeating jobs, and keeping them: their schedules live in Redis, so a Redis that restarts empty (or
 * evicts keys) takes them with it, and the relay, reconciler, expiry and retention sweeps, audit check and transparency checkpoint would stop until
 * the worker restarted. So the worker checks every SCHEDULE_CHECK_SECONDS that each is still there, registers
 * again any that is missing, and then sweeps at once (Redis lost jobs too: see ConvergenceSweep). The check
 * runs in the process, not as a job, since a job is what Redis loses. Registering is idempotent, so every
 * replica may do it.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Schedules.name);
  private timer?: NodeJS.Timeout;
  private checking?: Promise<unknown>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  private repeating(): [JobName, number][] {
    return [
      ['audit.verify-chain', this.config.auditVerifyEveryMinutes * 60_000],
      ['transparency.checkpoint', this.config.transparencyCheckpointMinutes * 60_000],
      ['projects.expire-due', this.config.projectExpirySweepMinutes * 60_000],
      ['retention.sweep', this.config.retentionSweepMinutes * 60_000],
      ['notifications.lapse-warnings', this.config.lapseWarningSweepMinutes * 60_000],
      // The outbox relay: how long at most between a change (an approval) and the jobs it starts.
      ['events.dispatch', 2_000],
      ['events.converge', this.config.convergenceSweepSeconds * 1_000],
      ['workspaces.reconcile', this.config.workspaceReconcileMinutes * 60_000],
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    // Verify and sweep once at start-up too (Redis may have lost work while no worker ran); a schedule that
    // already exists keeps its next run time. Redis away at start-up is not fatal: the check tries again.
    await this.tick(true);
    this.timer = setInterval(() => void this.tick(false), this.config.scheduleCheckSeconds * 1_000);
  }

  /** Registers the repeating jobs Redis does not hold; returns their names. */
  async ensure(): Promise<JobName[]> {
    const missing: JobName[] = [];
    for (const [name, everyMs] of this.repeating()) {
      if (await this.jobs.isScheduled(name)) continue;
      await this.jobs.schedule(name, {}, everyMs);
      missing.push(name);
    }
    return missing;
  }

  private tick(startUp: boolean): Promise<unknown> {
    // One check at a time: a slow Redis must not pile them up.
    this.checking ??= this.check(startUp).finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(startUp: boolean): Promise<void> {
    try {
      const missing = await this.ensure();
      if (!startUp && missing.length) {
        this.logger.warn({ schedules: missing }, 'Redis had lost repeating jobs: registered them again');
      }
      if (startUp || missing.length) {
        await this.jobs.enqueue('audit.verify-chain', {});
        await this.jobs.enqueue('events.converge', {});
        await this.jobs.enqueue('transparency.checkpoint', {});
      }
    } catch (error: unknown) {
      this.logger.warn({ err: error }, 'Could not check the repeating jobs in Redis; trying again');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }
}
