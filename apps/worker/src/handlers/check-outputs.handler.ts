import { Injectable } from '@nestjs/common';
import { OutputCheckService } from '@tre/outputs';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** Runs the airlock's automated checks on one submission; a round already checked is left alone. */
@Injectable()
@HandlesJob('outputs.check')
export class CheckOutputsHandler implements JobHandler<'outputs.check'> {
  constructor(private readonly checks: OutputCheckService) {}

  async handle(
    { requestId, round }: { requestId: string; round: number },
    attempt: JobAttempt,
  ): Promise<void> {
    const outcome = await this.checks.check(requestId, round, (percent, step) =>
      attempt.progress(percent, step),
    );
    await attempt.progress(100, outcome);
  }

  async onFinalFailure(
    { requestId, round }: { requestId: string; round: number },
    error: Error,
  ): Promise<void> {
    await this.checks.markFailed(requestId, round, error.message);
  }
}
