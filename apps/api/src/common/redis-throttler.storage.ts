import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { APP_CONFIG, redisOptionsFromUrl, type AppConfig } from '@tre/core';
import { LeasedRateBudget, type LeaseAnswer } from './leased-rate-budget';
import { LocalRateCounter, type RateCount } from './local-rate-counter';

/**
 * One fixed window per client and throttler, counted in Redis in one atomic step: every API replica draws on
 * the same budget (an in-memory count would multiply it by the number of replicas). ARGV[4] hits are taken at
 * once (a lease: see LeasedRateBudget). A client whose first leased hit is over the limit is blocked for
 * `blockDuration`; the block is its own key, so it outlives the window it started in.
 * Returns hits, window ms left, blocked (0/1), block ms left.
 */
const LEASE_HITS = `
local size = tonumber(ARGV[4])
local hits = redis.call('INCRBY', KEYS[1], size)
if hits == size then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local window = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {hits, window, 1, blocked} end
if hits - size + 1 > tonumber(ARGV[2]) then
  local block = tonumber(ARGV[3])
  if block <= 0 then block = tonumber(ARGV[1]) end
  redis.call('SET', KEYS[2], '1', 'PX', block)
  return {hits, window, 1, block}
end
return {hits, window, 0, 0}
`;

/** After Redis failed, how long the count stays in the process before Redis is tried again. */
const FALLBACK_MS = 2_000;

/**
 * While Redis is away the limit still holds, counted in this process alone: each replica then grants the
 * full budget (N replicas, N times the limit) until Redis answers again, rather than refusing every request
 * (the API would be down with Redis) or dropping the limit (anyone could flood it). A request never waits on
 * Redis longer than REDIS_COMMAND_TIMEOUT_MS, and after a failure Redis is left alone for two seconds.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private redis?: Redis;
  private readonly prefix: string;
  private readonly local = new LocalRateCounter();
  private readonly leased = new LeasedRateBudget((...lease) => this.lease(...lease));
  private redisAwayUntil = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.prefix = `${config.queuePrefix}:throttle`;
  }

  /**
   * Connects once every provider is built: an app whose start-up fails before then (a bad setting refused by a
   * factory) never opens a connection that nothing would close.
   */
  onModuleInit(): void {
    this.redis = new Redis({
      ...redisOptionsFromUrl(this.config.redisUrl),
      // Fail at once while disconnected, and give up on a Redis that takes too long to answer.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.config.redisCommandTimeoutMs,
    });
    // ioredis reports connection errors as events; the fallback below is how they are handled.
    this.redis.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateCount> {
    const base = `${this.prefix}:${throttlerName}:${key}`;
    if (this.redis && Date.now() >= this.redisAwayUntil) {
      try {
        const counted = await this.leased.increment(base, ttl, limit, blockDuration);
        if (this.redisAwayUntil) {
          this.redisAwayUntil = 0;
          this.logger.log('Redis answers again: the rate limit is shared by all replicas again');
        }
        return counted;
      } catch (error: unknown) {
        if (!this.redisAwayUntil) {
          this.logger.warn(
            { err: error },
            'Redis does not answer: the rate limit is counted in this process until it does',
          );
        }
        this.redisAwayUntil = Date.now() + FALLBACK_MS;
      }
    }
    return this.local.increment(base, ttl, limit, blockDuration);
  }

  private async lease(
    base: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    size: number,
  ): Promise<LeaseAnswer> {
    if (!this.redis) throw new Error('the rate limiter is not connected to Redis yet');
    const [hits, windowMs, blocked, blockMs] = (await this.redis.eval(
      LEASE_HITS,
      2,
      `${base}:hits`,
      `${base}:blocked`,
      ttl,
      limit,
      blockDuration,
      size,
    )) as [number, number, number, number];
    return { hits, windowMs, blocked: blocked === 1, blockMs };
  }

  async onModuleDestroy(): Promise<void> {
    const redis = this.redis;
    await redis?.quit().catch(() => redis.disconnect());
  }
}
