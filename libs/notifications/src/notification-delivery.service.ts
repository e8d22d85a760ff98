import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, JobQueue, type AppConfig, type DomainEventType } from '@tre/core';
import type { DeliveryOutcome } from './notification-delivery.entity';
import { LINKS, type NotificationKind } from './notification-kinds';
import { PLANNERS } from './recipients';

/**
 * Turns causes into inbox rows, then queues their emails. Rows are unique per cause and person, so a cause
 * delivered twice (the outbox is at least once; the lapse sweep runs daily) writes nothing new; emails are
 * queued for every row of the cause still pending, so a crash between the two loses no email either.
 */
@Injectable()
export class NotificationDelivery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Delivers one outbox event; returns how many people it notified for the first time. The inbox rows and the
   * record that the event was delivered commit together, so the convergence sweep finds an event whose job was
   * lost (no record) but never one half delivered.
   */
  async deliverEvent(eventId: string): Promise<number> {
    const rows: { type: string; payload: Record<string, string | number> }[] = await this.dataSource.query(
      `SELECT type, payload FROM domain_events WHERE id = $1`,
      [eventId],
    );
    const planner = rows[0] && PLANNERS[rows[0].type as DomainEventType];
    if (!planner) return 0;
    const eventKey = `event:${eventId}`;
    const added = await this.dataSource.transaction(async (manager) => {
      const plan = await planner(manager, rows[0].payload);
      const inserted = await this.record(manager, eventKey, plan.kind, plan.link, plan.recipients);
      await this.markDelivered(manager, eventId, 'delivered');
      return inserted;
    });
    await this.queueEmails([eventKey]);
    return added;
  }

  /** After the last retry of an event's delivery: recorded, so the sweep does not try it for ever. */
  async giveUpEvent(eventId: string): Promise<void> {
    await this.markDelivered(this.dataSource.manager, eventId, 'failed');
  }

  private async markDelivered(
    manager: EntityManager,
    eventId: string,
    outcome: DeliveryOutcome,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notification_deliveries (event_id, outcome) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING`,
      [eventId, outcome],
    );
  }

  /**
   * Warns of what lapses within LAPSE_WARNING_DAYS: a live project's end date (its members), and a member's
   * accreditation on a live project (that member; the accreditation register's date where it has one). The key holds the date, so each date is warned of once,
   * and a renewal (a new date) is warned of again when its turn comes.
   */
  async warnOfLapses(): Promise<number> {
    const days = this.config.lapseWarningDays;
    const projects: { id: string; end_date: string; subject: string }[] = await this.dataSource.query(
      `SELECT p.id, p.end_date::text AS end_date, m.subject
         FROM projects p JOIN project_members m ON m.project_id = p.id
        WHERE p.status IN ('approved', 'suspended')
          AND p.end_date BETWEEN CURRENT_DATE AND CURRENT_DATE + $1::int`,
      [days],
    );
    const accreditations: { id: string; project_id: string; expires_on: string; subject: string }[] =
      await this.dataSource.query(
        // The admins' register decides where it has a record (a lapsed one has nothing left to warn of);
        // elsewhere the date declared on the project.
        `SELECT m.id, m.project_id, COALESCE(a.expires_on, m.accreditation_expires_on)::text AS expires_on, m.subject
           FROM project_members m JOIN projects p ON p.id = m.project_id
           LEFT JOIN accreditations a ON a.subject = m.subject
          WHERE p.status IN ('approved', 'suspended')
            AND (a.subject IS NULL OR a.state = 'current')
            AND COALESCE(a.expires_on, m.accreditation_expires_on) BETWEEN CURRENT_DATE AND CURRENT_DATE + $1::int`,
        [days],
      );
    let added = 0;
    const keys = new Set<string>();
    for (const row of projects) {
      const key = `project-lapse:${row.id}:${row.end_date}`;
      keys.add(key);
      added += await this.record(
        this.dataSource.manager,
        key,
        'project_lapsing',
        LINKS.researcherProject(row.id),
        [row.subject],
      );
    }
    for (const row of accreditations) {
      const key = `accreditation-lapse:${row.id}:${row.expires_on}`;
      keys.add(key);
      added += await this.record(
        this.dataSource.manager,
        key,
        'accreditation_lapsing',
        LINKS.researcherProject(row.project_id),
        [row.subject],
      );
    }
    await this.queueEmails([...keys]);
    return added;
  }

  private async record(
    manager: EntityManager,
    eventKey: string,
    kind: NotificationKind,
    link: string,
    recipients: readonly string[],
  ): Promise<number> {
    if (recipients.length === 0) return 0;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO notifications (recipient_subject, kind, link, event_key)
       SELECT unnest($1::text[]), $2, $3, $4
       ON CONFLICT (event_key, recipient_subject) DO NOTHING
       RETURNING id`,
      [recipients, kind, link, eventKey],
    );
    return inserted.length;
  }

  private async queueEmails(eventKeys: readonly string[]): Promise<void> {
    if (eventKeys.length === 0) return;
    const pending: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM notifications WHERE event_key = ANY ($1::text[]) AND email_status = 'pending'`,
      [eventKeys],
    );
    for (const { id } of pending) await this.jobs.enqueue('notifications.email', { notificationId: id });
  }
}
