import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TransparencyHeadsService } from '@tre/audit';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/**
 * Extends the transparency log from the audit trail and signs its head. When the tree had to be cut back
 * (events already in the log were rewritten or deleted) the service logs it at error level; the head signed
 * then states what the database holds, which is what lets the public verifier name it.
 */
@Injectable()
@HandlesJob('transparency.checkpoint')
export class TransparencyCheckpointHandler implements JobHandler<'transparency.checkpoint'>, OnModuleInit {
  constructor(private readonly heads: TransparencyHeadsService) {}

  onModuleInit(): Promise<void> {
    return this.heads.prepareSigningKey();
  }

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    await attempt.progress(0, 'extending the transparency log');
    const { head, signed, rewoundTo } = await this.heads.checkpoint();
    const cut = rewoundTo === null ? '' : ` (cut back to ${rewoundTo} leaves first)`;
    await attempt.progress(100, `${signed ? 'signed' : 'unchanged'} head of ${head.treeSize} events${cut}`);
  }
}
