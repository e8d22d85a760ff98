import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { JobQueue } from '@tre/core';

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
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.jobs.queue('audit').getJobCounts('waiting'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
        }),
      ]).finally(() => clearTimeout(timer));
      return indicator.up();
    } catch (error: unknown) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
