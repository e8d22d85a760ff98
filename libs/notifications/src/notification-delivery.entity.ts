import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { DomainEventEntity } from '@tre/core';

export const DELIVERY_OUTCOMES = ['delivered', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * That one domain event's notifications were worked out (written with its inbox rows, in their transaction), or
 * given up on. An event that notifies and has none a while after the relay dispatched it lost its
 * `notifications.deliver` job, which the convergence sweep queues again: an event may notify no one, so the
 * absence of inbox rows alone would not tell.
 */
@Check('notification_deliveries_outcome_check', `"outcome" IN ('delivered', 'failed')`)
@Entity({ name: 'notification_deliveries' })
export class NotificationDeliveryEntity {
  @PrimaryColumn({
    name: 'event_id',
    type: 'bigint',
    primaryKeyConstraintName: 'notification_deliveries_pkey',
  })
  eventId!: string;
  @OneToOne(() => DomainEventEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'notification_deliveries_event_fkey' })
  event?: DomainEventEntity;
  @Column({ type: 'text' }) outcome!: DeliveryOutcome;
  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' }) decidedAt!: Date;
}
