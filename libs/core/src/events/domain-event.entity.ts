import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox: a domain event is written in the same transaction as the change it announces,
 * then the worker hands it to its subscribers' jobs. A crash between commit and enqueue loses nothing.
 */
@Entity({ name: 'domain_events' })
@Index('domain_events_pending_idx', ['id'], { where: 'dispatched_at IS NULL' })
// The convergence sweep reads the last days' dispatched events for notifications never delivered.
@Index('domain_events_dispatched_at_idx', ['dispatchedAt'], { where: 'dispatched_at IS NOT NULL' })
export class DomainEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ name: 'aggregate_type', type: 'text' }) aggregateType!: string;
  @Column({ name: 'aggregate_id', type: 'uuid' }) aggregateId!: string;
  /** Ids only, like job payloads: subscribers re-read the state they need. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) payload!: Record<string, string | number>;
  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true }) dispatchedAt!: Date | null;
}
