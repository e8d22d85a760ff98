import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { Mailer } from './mailer';
import { composeEmail, type NotificationKind } from './notification-kinds';
import type { EmailNotSentReason, EmailStatus } from './notification.entity';

interface Person {
  readonly email: string | null;
  readonly email_notifications: boolean;
}

/**
 * Why a person gets the inbox only, or null to send. The address is only ever one the person's identity
 * provider gave for them (the token's `email` claim at sign-in): one typed in by someone else (a lead naming a
 * member) would let anyone direct the service's email at any mailbox. Someone who has never signed in has none
 * yet; the inbox keeps the message for their first sign-in.
 */
function notSentReason(emailEnabled: boolean, person: Person | undefined): EmailNotSentReason | null {
  if (!emailEnabled) return 'email_unavailable';
  if (!person?.email) return 'no_address';
  if (!person.email_notifications) return 'email_off';
  return null;
}

/** Sends the email of one inbox row, if its person has an address and wants email; the row stays either way. */
@Injectable()
export class NotificationEmails {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailer: Mailer,
  ) {}

  /** What became of the email: sent, not sent (and why not), or nothing to do (already decided). */
  async send(notificationId: string): Promise<EmailStatus | 'done'> {
    const rows: {
      recipient_subject: string;
      kind: NotificationKind;
      link: string;
      email_status: EmailStatus;
    }[] = await this.dataSource.query(
      `SELECT recipient_subject, kind, link, email_status FROM notifications WHERE id = $1`,
      [notificationId],
    );
    const row = rows[0];
    if (!row || row.email_status !== 'pending') return 'done';
    // The person's address and choice as they are now (the latest sign-in, should they have two identities).
    const people: Person[] = await this.dataSource.query(
      `SELECT email, email_notifications FROM users WHERE subject = $1 ORDER BY last_seen_at DESC LIMIT 1`,
      [row.recipient_subject],
    );
    const person = people[0];
    const reason = notSentReason(this.mailer.enabled, person);
    if (reason || !person?.email) {
      await this.settle(notificationId, 'not_sent', reason ?? 'no_address');
      return 'not_sent';
    }
    // A failure throws: the job retries with backoff, and the inbox row is untouched.
    await this.mailer.send(person.email, composeEmail(row.kind, row.link, this.config.appPublicUrl));
    await this.settle(notificationId, 'sent');
    return 'sent';
  }

  /** After the last retry: the email is given up on; the inbox row remains. */
  async giveUp(notificationId: string): Promise<void> {
    await this.settle(notificationId, 'failed');
  }

  private async settle(
    notificationId: string,
    status: EmailStatus,
    reason: EmailNotSentReason | null = null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications
          SET email_status = $2, email_not_sent_reason = $3, emailed_at = CASE WHEN $2 = 'sent' THEN now() END
        WHERE id = $1 AND email_status = 'pending'`,
      [notificationId, status, reason],
    );
  }
}
