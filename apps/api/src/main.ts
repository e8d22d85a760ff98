import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  APP_CONFIG,
  assertDatabaseMigrated,
  ConfigError,
  DatabaseNotReadyError,
  loadConfig,
  type AppConfig,
} from '@tre/core';
import { AppModule } from './app.module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_APP_OPTIONS, configureApp } from './bootstrap';
import { httpAdapter } from './common/http-adapter';
import { MetricsServer } from './metrics/metrics-server';
import { drainThenClose } from './shutdown/drain-then-close';

async function main(): Promise<void> {
  // Before Nest starts: bad settings, or a database never created or migrated, stop here with what to do.
  await assertDatabaseMigrated(loadConfig().databaseUrl);
  const app = configureApp(
    await NestFactory.create<NestFastifyApplication>(AppModule, httpAdapter(loadConfig()), {
      ...API_APP_OPTIONS,
      bufferLogs: true,
    }),
  );
  const config = app.get<AppConfig>(APP_CONFIG);
  // Every address, as Node listens by default: IPv6's unspecified address (which takes IPv4 too), or IPv4's
  // where the machine has no IPv6. Fastify alone would listen on localhost only.
  await app.listen(config.port, '::').catch(() => app.listen(config.port, '0.0.0.0'));
  // Metrics on their own port, which only the cluster reaches (see MetricsServer).
  await app.get(MetricsServer).listen(config.apiMetricsPort);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => void drainThenClose(app, config.apiDrainSeconds * 1000));
}

main().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: say exactly what, without a stack trace.
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof DatabaseNotReadyError ? error.message : String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exit(1);
});
