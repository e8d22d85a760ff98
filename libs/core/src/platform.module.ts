import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, CoreConfigModule } from './config/config.module';
import type { AppConfig } from './config/settings';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { loggerOptions } from './logging/logger-options';
import { QueueModule } from './queue/queue.module';

/** What every long-running app stands on: validated config, JSON logs, Postgres, the job queues and the outbox. */
@Module({
  imports: [
    CoreConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerOptions(config),
    }),
    DatabaseModule,
    QueueModule,
    EventsModule,
  ],
  exports: [CoreConfigModule, LoggerModule, DatabaseModule, QueueModule, EventsModule],
})
export class PlatformModule {}
