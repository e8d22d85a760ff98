import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { requestContext, ValidationError } from '@tre/core';
import { GENESIS_HASH, hashEvent } from './audit-hash';
import { findPersonalDataKeys } from './personal-data-guard';
import { canonicalJson } from './canonical-json';
import type { AuditEventView, NewAuditEvent } from './audit.types';

/**
 * Every append takes this transaction-scoped advisory lock before reading the chain head, so concurrent
 * writers queue up and the chain never forks. The lock is released at commit or rollback; callers should
 * append as the last step of their transaction to hold it briefly.
 */
const APPEND_LOCK_KEY = 0x7472_6500_0001;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends an event inside the caller's transaction, so the event and the change it records commit or
   * roll back together. Refuses to run outside a transaction.
   */
  async append(manager: EntityManager, event: NewAuditEvent): Promise<AuditEventView> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditService.append must run inside the transaction of the change it records');
    }
    const details = event.details ?? {};
    const personal = findPersonalDataKeys(details);
    if (personal.length > 0) {
      throw new ValidationError(`Audit details must not hold personal identifiers (${personal.join(', ')})`);
    }
    canonicalJson(details); // fails early on values jsonb cannot round-trip
    const context = requestContext.current();
    const actorId = event.actorId ?? context?.actorId;
    if (!actorId) throw new Error(`Audit event ${event.action} has no actor`);

    await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
    const [head] = await manager.query<{ seq: string; hash: string }[]>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    const fields = {
      seq: head ? Number(head.seq) + 1 : 1,
      occurredAt: new Date(),
      actorId,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId ?? null,
      details,
      requestId: context?.requestId ?? null,
      prevHash: head ? head.hash : GENESIS_HASH,
    };
    const hash = hashEvent(fields);
    await manager.query(
      `INSERT INTO audit_events
         (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        fields.seq,
        fields.occurredAt,
        fields.actorId,
        fields.action,
        fields.subjectType,
        fields.subjectId,
        JSON.stringify(details),
        fields.requestId,
        fields.prevHash,
        hash,
      ],
    );
    return { ...fields, occurredAt: fields.occurredAt.toISOString(), hash };
  }

  /** For events that record no other change (a download, a failed login): a transaction of their own. */
  appendAlone(event: NewAuditEvent): Promise<AuditEventView> {
    return this.dataSource.transaction((manager) => this.append(manager, event));
  }
}
