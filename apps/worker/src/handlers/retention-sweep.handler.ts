import { Injectable } from '@nestjs/common';
import { RetentionService } from '@tre/trust';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** The sweep that deletes ended projects' data once its retention is over; each deletion is audited. */
@Injectable()
@HandlesJob('retention.sweep')
export class RetentionSweepHandler implements JobHandler<'retention.sweep'> {
  constructor(private readonly retention: RetentionService) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    await attempt.progress(0, 'finding data whose retention is over');
    const deletions = await this.retention.sweep();
    await attempt.progress(100, `${deletions.length} deletion(s)`);
  }
}
