import { Logger } from '@nestjs/common';
import { RedisConnection } from 'bullmq';

const logger = new Logger('RedisConnection');
let installed = false;

/**
 * BullMQ (5.81) reports a connection's failed start as an 'error' event even after `close()` removed the
 * connection's listeners (the start was still pending when Redis went away). An EventEmitter throws an 'error'
 * that nobody listens to, so a Redis outage could crash the API or the worker with an uncaught ECONNREFUSED.
 * Such a late error concerns a connection already closed: it is logged and dropped. Every error that has a
 * listener is delivered as before.
 */
export function dropLateConnectionErrors(): void {
  if (installed) return;
  installed = true;
  // The original method, called below with the connection as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = RedisConnection.prototype.emit;
  RedisConnection.prototype.emit = function (
    this: RedisConnection,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'error' && this.listenerCount('error') === 0) {
      logger.warn(
        `A closed Redis connection reported: ${(args[0] as Error | undefined)?.message ?? 'an error'}`,
      );
      return false;
    }
    return emit.call(this, event, ...args);
  };
}
