import { Injectable, Logger } from '@nestjs/common';
import { AuditVerifierService } from '@tre/audit';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';
import { WorkerMetrics } from '../health/worker-metrics';

/**
 * Re-verifies the audit chain on a schedule, so tampering is noticed without anyone asking: the result is a
 * metric to alert on, and a break is logged at error level with the first broken sequence number.
 */
@Injectable()
@HandlesJob('audit.verify-chain')
export class VerifyAuditChainHandler implements JobHandler<'audit.verify-chain'> {
  private readonly logger = new Logger(VerifyAuditChainHandler.name);

  constructor(
    private readonly verifier: AuditVerifierService,
    private readonly metrics: WorkerMetrics,
  ) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    await attempt.progress(0, 'verifying the audit chain');
    const report = await this.verifier.verify();
    this.metrics.auditChainValid.set(report.valid ? 1 : 0);
    this.metrics.auditChainLength.set(report.count);
    if (report.valid) {
      this.logger.log({ count: report.count, head: report.head }, 'Audit chain verified');
    } else {
      this.logger.error({ brokenAt: report.brokenAt, reason: report.reason }, 'AUDIT CHAIN BROKEN');
    }
    await attempt.progress(100, report.valid ? 'chain intact' : `chain broken at ${report.brokenAt}`);
  }
}
