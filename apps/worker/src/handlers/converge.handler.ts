import { Injectable } from '@nestjs/common';
import { ConvergenceSweep } from '../convergence/convergence-sweep';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

@Injectable()
@HandlesJob('events.converge')
export class ConvergeHandler implements JobHandler<'events.converge'> {
  constructor(private readonly sweep: ConvergenceSweep) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    const report = await this.sweep.sweep();
    await attempt.progress(100, `${report.requeued.length} job(s) enqueued again`);
  }
}
