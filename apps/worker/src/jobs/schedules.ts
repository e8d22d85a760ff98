import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, JobQueue, type AppConfig } from '@tre/core';

/** Repeating jobs. Upserting the schedules is idempotent, so every replica may do it at start-up. */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Verify once at start-up too: a schedule that already exists keeps its next run time.
    await this.jobs.enqueue('audit.verify-chain', {});
    await this.jobs.schedule('audit.verify-chain', {}, this.config.auditVerifyEveryMinutes * 60_000);
    await this.jobs.enqueue('transparency.checkpoint', {});
    await this.jobs.schedule(
      'transparency.checkpoint',
      {},
      this.config.transparencyCheckpointMinutes * 60_000,
    );
    await this.jobs.schedule('projects.expire-due', {}, this.config.projectExpirySweepMinutes * 60_000);
    // The outbox relay: how long at most between a change (an approval) and the jobs it starts.
    await this.jobs.schedule('events.dispatch', {}, 2_000);
    await this.jobs.schedule('workspaces.reconcile', {}, this.config.workspaceReconcileMinutes * 60_000);
  }
}
