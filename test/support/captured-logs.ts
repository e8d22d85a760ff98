import { Writable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { APP_CONFIG, loggerOptions, type AppConfig } from '@tre/core';

/**
 * The JSON log lines of apps under test, as production writes them (pino, the configured level, the same
 * redaction), kept in memory instead of going to stdout: for tests that look for what must never be logged.
 */
export class CapturedLogs {
  readonly lines: string[] = [];
  private readonly stream = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      this.lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

  /** Sends the module's pino logs here (request logs included). */
  into(builder: TestingModuleBuilder): TestingModuleBuilder {
    return builder.overrideProvider(PARAMS_PROVIDER_TOKEN).useFactory({
      inject: [APP_CONFIG],
      factory: (config: AppConfig): Params => loggerOptions(config, this.stream),
    });
  }

  /** Routes Nest's own Logger through pino, as the apps' main.ts do. */
  use(context: INestApplicationContext): void {
    context.useLogger(context.get(Logger));
  }

  text(): string {
    return this.lines.join('\n');
  }
}
