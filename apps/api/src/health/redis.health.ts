import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, JobQueue, withTimeout, type AppConfig } from '@tre/core';

/** Asks Redis over the queue's own connection, so readiness checks the path jobs actually take. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly indicators: HealthIndicatorService,
    private readonly jobs: JobQueue,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      // A real round trip over the queue connection, bounded: the queue client waits for Redis to come back.
      await withTimeout(
        this.jobs.queue('audit').getJobCounts('waiting'),
        Math.min(this.config.redisCommandTimeoutMs * 2, 2_000),
      );
      return indicator.up();
    } catch (error: unknown) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
