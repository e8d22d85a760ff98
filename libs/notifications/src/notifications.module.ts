import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InboxService } from './inbox.service';
import { Mailer } from './mailer';
import { NotificationDelivery } from './notification-delivery.service';
import { NotificationEmails } from './notification-email.service';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationEntity } from './notification.entity';

/**
 * Notifications: the inbox (API), delivery from the outbox and the lapse sweep, and email (worker). It reads
 * the other libs' tables by SQL (members, reviews, users) and owns only `notifications` and `notification_deliveries`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity, NotificationDeliveryEntity])],
  providers: [Mailer, InboxService, NotificationDelivery, NotificationEmails],
  exports: [Mailer, InboxService, NotificationDelivery, NotificationEmails],
})
export class NotificationsModule {}
