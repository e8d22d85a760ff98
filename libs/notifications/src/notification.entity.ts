import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds';

export const EMAIL_STATUSES = ['pending', 'sent', 'not_sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Why an email was not sent: the inbox row was all the person got. */
export const EMAIL_NOT_SENT_REASONS = ['no_address', 'email_off', 'email_unavailable'] as const;
export type EmailNotSentReason = (typeof EMAIL_NOT_SENT_REASONS)[number];

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
@Check(
  'notifications_email_not_sent_reason_check',
  `"email_not_sent_reason" IN (${EMAIL_NOT_SENT_REASONS.map((s) => `'${s}'`).join(', ')})`,
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
  /**
   * Set with not_sent: no_address (no token of theirs carried an `email` claim, or they have never signed in),
   * email_off (their choice) or email_unavailable (no SMTP_URL).
   */
  @Column({ name: 'email_not_sent_reason', type: 'text', nullable: true })
  emailNotSentReason!: EmailNotSentReason | null;
  @Column({ name: 'emailed_at', type: 'timestamptz', nullable: true }) emailedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt!: Date | null;
}
