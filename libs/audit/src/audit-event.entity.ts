import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One link of the append-only audit chain. Rows are only ever inserted (a trigger refuses UPDATE, DELETE
 * and TRUNCATE); `seq` is gapless because it is assigned under the append lock, not by a sequence.
 */
@Entity({ name: 'audit_events' })
@Index('audit_events_subject_idx', ['subjectType', 'subjectId', 'seq'])
@Index('audit_events_actor_idx', ['actorId', 'seq'])
@Index('audit_events_action_idx', ['action', 'seq'])
export class AuditEventEntity {
  /** bigint arrives from pg as a string; the service converts it. */
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** A user id, or `system:<component>` for the service itself. Never a name. */
  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Index('audit_events_hash_key', { unique: true })
  @Column({ type: 'char', length: 64 })
  hash!: string;
}
