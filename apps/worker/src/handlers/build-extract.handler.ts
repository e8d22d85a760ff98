import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { ExtractFailure, ExtractQueryService, ExtractService } from '@tre/datasets';
import { ProjectReader } from '@tre/projects';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** Builds the extract of an approval; an extract that is already ready is left alone. */
@Injectable()
@HandlesJob('extracts.build')
export class BuildExtractHandler implements JobHandler<'extracts.build'> {
  constructor(
    private readonly extracts: ExtractService,
    private readonly queries: ExtractQueryService,
    private readonly projects: ProjectReader,
  ) {}

  async handle({ approvalId }: { approvalId: string }, attempt: JobAttempt): Promise<void> {
    const approval = await this.projects.approvalById(approvalId);
    if (!approval) throw new UnrecoverableError(`approval ${approvalId} does not exist`);
    try {
      await this.extracts.build(
        {
          projectId: approval.projectId,
          approvalId: approval.id,
          approvalVersion: approval.approvalVersion,
          datasets: approval.datasets.map((d) => ({
            datasetId: d.datasetId,
            code: d.code,
            fields: d.fields,
            legalBasis: d.legalBasis,
          })),
        },
        (percent, step) => attempt.progress(percent, step),
      );
    } catch (error: unknown) {
      // Retrying cannot mend a missing source or a failed gate; the extract is already marked failed.
      if (error instanceof ExtractFailure) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  async onFinalFailure({ approvalId }: { approvalId: string }, error: Error): Promise<void> {
    const extract = await this.queries.byApproval(approvalId);
    if (extract && extract.status !== 'ready' && extract.status !== 'failed') {
      await this.extracts.markFailed(extract.id, error.message);
    }
  }
}
