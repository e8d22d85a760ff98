import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds';

export const EMAIL_STATUSES = ['pending', 'sent', 'not_sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * One message to one person, in their inbox: a kind (which fixes its wording) and a link into the web app,
 * never the content it is about. `event_key` names what caused it (a domain event, or a lapse warning for one
 * end date), and a person gets one message per key however often the cause is delivered.
 */
@Check('notifications_kind_check', `"kind" IN (${NOTIFICATION_KINDS.map((k) => `'${k}'`).join(', ')})`)
@Check(
  'notifications_email_status_check',
  `"email_status" IN (${EMAIL_STATUSES.map((s) => `'${s}'`).join(', ')})`,
)
@Entity({ name: 'notifications' })
@Index('notifications_event_recipient_key', ['eventKey', 'recipientSubject'], { unique: true })
@Index('notifications_recipient_idx', ['recipientSubject', 'createdAt'])
@Index('notifications_unread_idx', ['recipientSubject'], { where: 'read_at IS NULL' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'notifications_pkey' }) id!: string;
  /** The person, by identity-provider subject, as project membership names people (they may not have signed in). */
  @Column({ name: 'recipient_subject', type: 'text' }) recipientSubject!: string;
  @Column({ type: 'text' }) kind!: NotificationKind;
  /** A path in the web app (`/app/...`); the email makes it absolute with APP_PUBLIC_URL. */
  @Column({ type: 'text' }) link!: string;
  @Column({ name: 'event_key', type: 'text' }) eventKey!: string;
  /** pending until the email job decides: sent, not_sent (no address, email off, or no SMTP server), failed. */
  @Column({ name: 'email_status', type: 'text', default: 'pending' }) emailStatus!: EmailStatus;
  @Column({ name: 'emailed_at', type: 'timestamptz', nullable: true }) emailedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt!: Date | null;
}
