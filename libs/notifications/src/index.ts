export * from './notifications.module';
export * from './notification.entity';
export * from './notification-kinds';
export * from './recipients';
export * from './mailer';
export * from './inbox.service';
export * from './notification-delivery.service';
export * from './notification-email.service';
