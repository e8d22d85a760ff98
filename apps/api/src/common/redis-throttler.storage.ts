import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { APP_CONFIG, redisOptionsFromUrl, type AppConfig } from '@tre/core';

/**
 * One fixed window per client and throttler, counted in Redis in one atomic step: every API replica draws on
 * the same budget (an in-memory count would multiply it by the number of replicas). A client over the limit
 * is blocked for `blockDuration`; the block is its own key, so it outlives the window it started in.
 * Returns hits, window ms left, blocked (0/1), block ms left.
 */
const COUNT_AND_BLOCK = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local window = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {hits, window, 1, blocked} end
if hits > tonumber(ARGV[2]) then
  local block = tonumber(ARGV[3])
  if block <= 0 then block = tonumber(ARGV[1]) end
  redis.call('SET', KEYS[2], '1', 'PX', block)
  return {hits, window, 1, block}
end
return {hits, window, 0, 0}
`;

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Fail fast rather than queue commands while Redis is away: the guard then answers 500 for a moment
    // instead of holding every request.
    this.redis = new Redis({
      ...redisOptionsFromUrl(config.redisUrl),
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    this.prefix = `${config.queuePrefix}:throttle`;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const base = `${this.prefix}:${throttlerName}:${key}`;
    const [totalHits, windowMs, blocked, blockMs] = (await this.redis.eval(
      COUNT_AND_BLOCK,
      2,
      `${base}:hits`,
      `${base}:blocked`,
      ttl,
      limit,
      blockDuration,
    )) as [number, number, number, number];
    return {
      totalHits,
      timeToExpire: seconds(windowMs),
      isBlocked: blocked === 1,
      timeToBlockExpire: seconds(blockMs),
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
