/**
 * Tells a database that is away or too slow (the service's problem, for a while: 503, try again) from every
 * other failure. Returns the reason to give the client, or undefined when the error is something else.
 */
export function databaseOutage(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = typeof cause.message === 'string' ? cause.message : '';
    if (code === '57014') return 'a statement took longer than the database statement timeout';
    // connection_exception, admin/crash shutdown, cannot_connect_now, too_many_connections
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) {
      return `the database refused the connection (${code})`;
    }
    if (NETWORK_CODES.includes(code)) return `the database cannot be reached (${code})`;
    const known = MESSAGES.find(([pattern]) => pattern.test(message));
    if (known) return known[1];
  }
  return undefined;
}

const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
];

/** What pg and TypeORM say, in their own words, when there is no usable connection. */
const MESSAGES: [RegExp, string][] = [
  [/^Driver not Connected$/, 'not connected to the database yet'],
  [/^Query read timeout$/, 'the database did not answer in time'],
  [/timeout exceeded when trying to connect/, 'no database connection within the connect timeout'],
  [/Connection terminated/, 'the database connection was lost'],
  [/Client has encountered a connection error/, 'the database connection was lost'],
];

/** The error, then what it wraps: TypeORM's QueryFailedError keeps pg's error as `driverError`. */
function* causes(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    yield current;
    const wrapped = current as { driverError?: unknown; cause?: unknown };
    current = wrapped.driverError ?? wrapped.cause;
  }
}

/**
 * What ioredis says when a command meets an absent Redis (the queue connections fail fast rather than wait):
 * code that reaches a queue directly, past JobQueue's own bounds, is answered 503 as well.
 */
export function redisOutage(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /enableOfflineQueue options is false|^Connection is closed\.?$|^Command timed out$/.test(message)
    ? 'Redis does not answer'
    : undefined;
}
