import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { prepareBuildDirs, sweepDeadBuilds, type BuildDirs } from './extract-build-dir';

/**
 * Removes what dead extract builds left: once when the worker starts (before it takes jobs, a start-up that
 * cannot check its folders fails) and every EXTRACT_SWEEP_MINUTES after, for builds of replicas that died
 * while this one ran. Live builds, on any replica, are left alone (see extract-build-dir.ts).
 */
@Injectable()
export class ExtractBuildSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExtractBuildSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get dirs(): BuildDirs {
    return {
      buildDir: this.config.extractBuildDir,
      storeDir: this.config.extractStoreDir,
      databaseUrl: this.config.databaseUrl,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await prepareBuildDirs(this.dirs);
    await this.sweep();
    this.timer = setInterval(() => {
      this.running = this.sweep().catch((error: unknown) =>
        this.logger.warn(`sweeping dead extract builds failed: ${String(error)}`),
      );
    }, this.config.extractSweepMinutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<string[]> {
    const removed = await sweepDeadBuilds(this.dirs);
    if (removed.length) this.logger.log(`removed ${removed.length} folder(s) of dead extract builds`);
    return removed;
  }
}
