import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash the first event links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash covers: everything but the hash itself. */
export interface HashedEventFields {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly actorId: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string | null;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly prevHash: string;
}

/** hash = SHA-256(previous hash + canonical JSON of the event), hex encoded. */
export function hashEvent(event: HashedEventFields): string {
  const body = canonicalJson({
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    details: event.details,
    requestId: event.requestId,
  });
  return createHash('sha256').update(event.prevHash).update(body).digest('hex');
}
