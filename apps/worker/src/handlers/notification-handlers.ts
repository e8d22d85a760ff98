import { Injectable, Logger } from '@nestjs/common';
import { NotificationDelivery, NotificationEmails } from '@tre/notifications';
import { HandlesJob, type JobAttempt, type JobHandler } from '../jobs/job-handler';

/** Writes the inbox rows one domain event calls for and queues their emails (idempotent per event and person). */
@Injectable()
@HandlesJob('notifications.deliver')
export class DeliverNotificationsHandler implements JobHandler<'notifications.deliver'> {
  private readonly logger = new Logger(DeliverNotificationsHandler.name);

  constructor(private readonly delivery: NotificationDelivery) {}

  async handle({ eventId }: { eventId: string }, attempt: JobAttempt): Promise<void> {
    const added = await this.delivery.deliverEvent(eventId);
    await attempt.progress(100, `notified ${added} person(s)`);
  }

  /** Recorded as given up, so the convergence sweep does not queue it again at every pass. */
  async onFinalFailure({ eventId }: { eventId: string }, error: Error): Promise<void> {
    this.logger.warn({ eventId, err: error }, "Gave up delivering an event's notifications");
    await this.delivery.giveUpEvent(eventId);
  }
}

/** Sends one notification's email; an SMTP failure throws, so BullMQ tries again with the `mail` backoff. */
@Injectable()
@HandlesJob('notifications.email')
export class EmailNotificationHandler implements JobHandler<'notifications.email'> {
  private readonly logger = new Logger(EmailNotificationHandler.name);

  constructor(private readonly emails: NotificationEmails) {}

  async handle({ notificationId }: { notificationId: string }, attempt: JobAttempt): Promise<void> {
    const outcome = await this.emails.send(notificationId);
    await attempt.progress(100, `email ${outcome}`);
  }

  async onFinalFailure({ notificationId }: { notificationId: string }, error: Error): Promise<void> {
    this.logger.warn(
      { notificationId, err: error },
      'Gave up sending a notification email; it stays in the inbox',
    );
    await this.emails.giveUp(notificationId);
  }
}

/** The daily sweep that warns of projects and accreditations about to lapse (once per end date). */
@Injectable()
@HandlesJob('notifications.lapse-warnings')
export class LapseWarningsHandler implements JobHandler<'notifications.lapse-warnings'> {
  constructor(private readonly delivery: NotificationDelivery) {}

  async handle(_: Record<string, never>, attempt: JobAttempt): Promise<void> {
    const added = await this.delivery.warnOfLapses();
    await attempt.progress(100, `warned ${added} person(s)`);
  }
}
