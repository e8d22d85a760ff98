import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, CoreConfigModule } from './config/config.module';
import type { AppConfig } from './config/settings';
import { DatabaseModule } from './database/database.module';
import { loggerOptions } from './logging/logger-options';
import { QueueModule } from './queue/queue.module';

/** What every long-running app stands on: validated config, JSON logs, Postgres and the job queues. */
@Module({
  imports: [
    CoreConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerOptions(config),
    }),
    DatabaseModule,
    QueueModule,
  ],
  exports: [CoreConfigModule, LoggerModule, DatabaseModule, QueueModule],
})
export class PlatformModule {}
