import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadConfig } from './load-config';
import type { AppConfig } from './settings';

/** Injection token of the validated, frozen configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * @nestjs/config reads an optional `.env` into the environment and runs our validation at start-up, so a
 * bad setting stops the app before anything connects; the typed object is then provided as APP_CONFIG.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      validate: (raw: Record<string, unknown>) => {
        loadConfig(raw as NodeJS.ProcessEnv);
        return raw;
      },
    }),
  ],
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig(process.env) }],
  exports: [APP_CONFIG],
})
export class CoreConfigModule {}
