import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { JobQueue, withTimeout } from '@tre/core';

/** Asks Redis over the queue's own connection, so readiness checks the path jobs actually take. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly jobs: JobQueue,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      // A real round trip over the queue connection; the queue client waits for Redis rather than failing,
      // so the check bounds it.
      await withTimeout(this.jobs.queue('audit').getJobCounts('waiting'), 2_000);
      return indicator.up();
    } catch (error: unknown) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
