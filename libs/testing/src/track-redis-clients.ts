import Redis from 'ioredis';

/**
 * Runs before each test file (jest `setupFiles`): notes every ioredis client the file connects (ours and
 * BullMQ's), with where it was made, so the test environment can find one the file left open when it ends
 * (see jest-environment.ts). A client left open reconnects for ever and keeps jest from exiting.
 */
interface TrackedClient {
  readonly client: Redis;
  readonly stack: string;
}

const registry = ((globalThis as { __treRedisClients?: TrackedClient[] }).__treRedisClients ??= []);
const connect = Redis.prototype.connect; // eslint-disable-line @typescript-eslint/unbound-method

Redis.prototype.connect = function trackedConnect(this: Redis, callback?: () => void) {
  if (!registry.some((tracked) => tracked.client === this))
    registry.push({ client: this, stack: new Error('made here').stack ?? '' });
  return connect.call(this, callback);
};
