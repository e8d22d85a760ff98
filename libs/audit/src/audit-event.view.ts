import type { AuditEventEntity } from './audit-event.entity';
import type { AuditEventView } from './audit.types';

export function toAuditEventView(row: AuditEventEntity): AuditEventView {
  return textRowToAuditEventView({ ...row, occurredAt: row.occurredAt.toISOString() });
}

/**
 * An event as the prepared reads return it: the entity's columns, with `occurredAt` already the ISO text the
 * view shows (`OCCURRED_AT_ISO_SQL`), so no Date is made per row only to be printed again.
 */
export type AuditEventTextRow = Omit<AuditEventEntity, 'occurredAt'> & { occurredAt: string };

/**
 * `occurred_at` as `Date.prototype.toISOString` writes the Date pg would parse from it: UTC, milliseconds cut
 * (not rounded) from the microseconds, as both pg's parser (`Date.UTC` truncates) and `MS` do.
 */
export const OCCURRED_AT_ISO_SQL = `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export function textRowToAuditEventView(row: AuditEventTextRow): AuditEventView {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurredAt,
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
