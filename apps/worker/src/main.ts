import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { assertDatabaseMigrated, ConfigError, DatabaseNotReadyError, loadConfig } from '@tre/core';
import { WorkerModule } from './worker.module';

/** The worker: consumes the job queues; no HTTP API, only health and metrics (see HealthServer). */
async function main(): Promise<void> {
  // Before Nest starts: bad settings, or a database never created or migrated, stop here with what to do.
  await assertDatabaseMigrated(loadConfig().databaseUrl);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the queue workers, which let running jobs finish first.
  app.enableShutdownHooks();
  await app.init();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof DatabaseNotReadyError ? error.message : String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exit(1);
});
