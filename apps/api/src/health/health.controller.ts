import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@tre/auth';
import { Drain } from '../shutdown/drain';
import { PostgresHealthIndicator } from './postgres.health';
import { RedisHealthIndicator } from './redis.health';

/**
 * Liveness says the process runs and touches nothing else: a database or Redis outage must not make the
 * orchestrator restart every API pod. Readiness says it can serve (Postgres and Redis answer), 503 naming what
 * does not, or that it is draining before it stops. Probes are not rate limited: the limiter may itself be waiting on Redis.
 */
@ApiTags('operations')
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: PostgresHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly drain: Drain,
  ) {}

  @Public()
  @Get('health')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Public()
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      // First, and without asking anyone: a draining API is on its way out (see Drain).
      () => {
        const indicator = this.indicators.check('shutdown');
        return this.drain.draining ? indicator.down({ message: 'draining before it stops' }) : indicator.up();
      },
      () => this.database.check('postgres'),
      () => this.redis.check('redis'),
    ]);
  }
}
