import { Injectable, Logger } from '@nestjs/common';
import { ProjectLifecycle } from '@tre/projects';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** The sweep that ends projects at their approved end date; each expiry is audited and announced. */
@Injectable()
@HandlesJob('projects.expire-due')
export class ExpireProjectsHandler implements JobHandler<'projects.expire-due'> {
  private readonly logger = new Logger(ExpireProjectsHandler.name);

  constructor(private readonly lifecycle: ProjectLifecycle) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    await attempt.progress(0, 'finding projects past their end date');
    const expired = await this.lifecycle.expireDue();
    if (expired.length) this.logger.log({ expired }, `Expired ${expired.length} project(s)`);
    await attempt.progress(100, `expired ${expired.length} project(s)`);
  }
}
