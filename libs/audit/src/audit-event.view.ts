import type { AuditEventEntity } from './audit-event.entity';
import type { AuditEventView } from './audit.types';

export function toAuditEventView(row: AuditEventEntity): AuditEventView {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    details: row.details,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
