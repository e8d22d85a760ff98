import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GENESIS_HASH, hashEvent } from './audit-hash';
import type { ChainHead, VerificationReport } from './audit.types';

/** One audit event as stored (raw SQL row): read by the chain verifier and the transparency tree alike. */
export interface ChainRow {
  seq: string;
  occurred_at: Date;
  actor_id: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

const BATCH = 5000;

/**
 * Walks the chain from the first event, in batches (memory stays flat however long the trail), and reports
 * the first sequence number where a gap, a broken link or a recomputed hash shows the trail was altered.
 */
@Injectable()
export class AuditVerifierService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(): Promise<VerificationReport> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let head: ChainHead | null = null;
    for (;;) {
      const rows = await this.dataSource.query<ChainRow[]>(
        `SELECT seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash
           FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2`,
        [expectedSeq, BATCH],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        const broken = (reason: string): VerificationReport => ({
          valid: false,
          count: expectedSeq - 1,
          head,
          brokenAt: expectedSeq,
          reason,
        });
        if (seq !== expectedSeq) return broken(`event ${expectedSeq} is missing (next is ${seq})`);
        if (row.prev_hash !== prevHash)
          return broken(`event ${seq} does not link to the hash of event ${seq - 1}`);
        const recomputed = hashEvent({
          seq,
          occurredAt: row.occurred_at,
          actorId: row.actor_id,
          action: row.action,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          details: row.details,
          requestId: row.request_id,
          prevHash: row.prev_hash,
        });
        if (recomputed !== row.hash)
          return broken(`event ${seq} was altered: its content no longer matches its hash`);
        prevHash = row.hash;
        head = { seq, hash: row.hash };
        expectedSeq += 1;
      }
      if (rows.length < BATCH) return { valid: true, count: expectedSeq - 1, head };
    }
  }
}
