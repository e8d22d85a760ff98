import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '@tre/auth';
import { NotFoundError } from '@tre/core';
import { Mailer } from './mailer';
import { WORDING, type NotificationKind } from './notification-kinds';

export interface InboxItem {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly subject: string;
  readonly line: string;
  readonly link: string;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface InboxPage {
  readonly items: InboxItem[];
  readonly total: number;
  readonly unread: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface NotificationSettings {
  readonly emailNotifications: boolean;
  /** The person's own address as their identity provider gave it, or null (then only the inbox). */
  readonly emailAddress: string | null;
  /** Whether this deployment sends email at all (SMTP_URL set). */
  readonly emailAvailable: boolean;
}

/** A person's own inbox and choice of email. Every query is bound to the caller: no one reads another's. */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
  ) {}

  async list(user: AuthenticatedUser, paging: { page: number; pageSize: number }): Promise<InboxPage> {
    const rows: {
      id: string;
      kind: NotificationKind;
      link: string;
      created_at: Date;
      read_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT id, kind, link, created_at, read_at FROM notifications
          WHERE recipient_subject = $1
          ORDER BY created_at DESC, id DESC
          OFFSET $2 LIMIT $3`,
      [user.subject, (paging.page - 1) * paging.pageSize, paging.pageSize],
    );
    const [counts]: { total: number; unread: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
         FROM notifications WHERE recipient_subject = $1`,
      [user.subject],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        ...WORDING[r.kind],
        link: r.link,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
      total: counts.total,
      unread: counts.unread,
      ...paging,
    };
  }

  /** Marks one of the caller's own messages read; anyone else's is "not found", as if it did not exist. */
  async markRead(user: AuthenticatedUser, id: string): Promise<void> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now())
        WHERE id = $1 AND recipient_subject = $2 RETURNING id`,
      [id, user.subject],
    );
    if (rows.length === 0) throw new NotFoundError('Notification', id);
  }

  /** Marks all the caller's unread messages read; returns how many. */
  async markAllRead(user: AuthenticatedUser): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE notifications SET read_at = now() WHERE recipient_subject = $1 AND read_at IS NULL`,
      [user.subject],
    );
    return count;
  }

  async settings(user: AuthenticatedUser): Promise<NotificationSettings> {
    const [row]: { email: string | null; email_notifications: boolean }[] = await this.dataSource.query(
      `SELECT email, email_notifications FROM users WHERE id = $1`,
      [user.id],
    );
    return {
      emailNotifications: row?.email_notifications ?? true,
      emailAddress: row?.email ?? null,
      emailAvailable: this.mailer.enabled,
    };
  }

  /** The choice is kept on every identity the person signs in with, so email follows it whichever sent last. */
  async updateSettings(user: AuthenticatedUser, emailNotifications: boolean): Promise<NotificationSettings> {
    await this.dataSource.query(`UPDATE users SET email_notifications = $2 WHERE subject = $1`, [
      user.subject,
      emailNotifications,
    ]);
    return this.settings(user);
  }
}
