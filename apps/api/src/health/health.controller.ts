import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@tre/auth';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { RedisHealthIndicator } from './redis.health';

/**
 * Liveness says the process runs and touches nothing else: a database or Redis outage must not make the
 * orchestrator restart every API pod. Readiness says it can serve (Postgres and Redis answer), 503 naming what
 * does not. Probes are not rate limited: the limiter may itself be waiting on Redis.
 */
@ApiTags('operations')
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
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
      () =>
        this.database.pingCheck('postgres', {
          timeout: this.config.databaseConnectTimeoutMs + this.config.databaseStatementTimeoutMs,
        }),
      () => this.redis.check('redis'),
    ]);
  }
}
