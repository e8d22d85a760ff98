import type { RedisOptions } from 'ioredis';

/** BullMQ wants ioredis options; we configure one REDIS_URL. */
export function redisOptionsFromUrl(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db ? Number(db) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must wait for it rather than fail a request after N retries.
    maxRetriesPerRequest: null,
    // Reconnect at least every 2 s. BullMQ's own default backs off to 20 s, so after an outage of a minute a
    // worker noticed Redis was back up to 20 s late, and a shutdown's QUIT waited that long in the offline queue.
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
}
