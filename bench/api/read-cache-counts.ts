/** The API's read cache counters, from its /metrics: zero where the build has no read cache. */
export interface ReadCacheCounts {
  readonly hits: number;
  readonly misses: number;
  readonly bypasses: number;
  /** Misses answered within 10 ms and within 50 ms (the histogram's cumulative buckets). */
  readonly missesWithin10Ms: number;
  readonly missesWithin50Ms: number;
  /** Hits' waits for the change feed's round trip to Postgres, and how many ended within 10 and within 50 ms. */
  readonly hitWaits: number;
  readonly hitWaitsWithin10Ms: number;
  readonly hitWaitsWithin50Ms: number;
  /** Requests the API timed (routing middleware to answer sent; /metrics itself left out), and within 50 ms. */
  readonly requestsTimed: number;
  readonly requestsWithin50Ms: number;
}

export async function readCacheCounts(metricsUrl: string): Promise<ReadCacheCounts> {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const counter = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`tre_read_cache_${name}_total`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const lines = text.split('\n');
  // A histogram's bucket summed over its series (labels in any order: the registry adds `app`).
  const bucket = (histogram: string, le: string, leaveOut = '\0'): number =>
    lines
      .filter(
        (l) => l.startsWith(`${histogram}_bucket{`) && l.includes(`le="${le}"`) && !l.includes(leaveOut),
      )
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  const timed = (le: string) => bucket('tre_http_request_duration_seconds', le, 'route="/metrics"');
  return {
    hits: counter('hits'),
    misses: counter('misses'),
    bypasses: counter('bypasses'),
    missesWithin10Ms: bucket('tre_read_cache_miss_seconds', '0.01'),
    missesWithin50Ms: bucket('tre_read_cache_miss_seconds', '0.05'),
    hitWaits: bucket('tre_read_cache_hit_wait_seconds', '+Inf'),
    hitWaitsWithin10Ms: bucket('tre_read_cache_hit_wait_seconds', '0.01'),
    hitWaitsWithin50Ms: bucket('tre_read_cache_hit_wait_seconds', '0.05'),
    requestsTimed: timed('+Inf'),
    requestsWithin50Ms: timed('0.05'),
  };
}

/** `api_<route>_<rate>_cache_hit_ratio`: the share of the route's cacheable requests answered from the cache. */
export function reportHitRatio(
  prefix: string,
  rate: number,
  before: ReadCacheCounts,
  after: ReadCacheCounts,
): void {
  const hits = after.hits - before.hits;
  const bypassed = after.bypasses - before.bypasses;
  const asked = hits + (after.misses - before.misses) + bypassed;
  if (asked === 0) return;
  console.log(
    `${prefix}_${rate}_cache_hit_ratio: ${((100 * hits) / asked).toFixed(1)} % (${hits} of ${asked}; ${bypassed} bypassed)`,
  );
  // The misses' own time in the API (handler to answer sent, the queue before the guards not included): with
  // over 1 % of the requests missing, the p99 is one of theirs.
  const misses = after.misses - before.misses;
  const over = (within: keyof ReadCacheCounts) => misses - (after[within] - before[within]);
  console.log(
    `${prefix}_${rate}_cache_misses: ${misses} (${((100 * misses) / asked).toFixed(1)} % of the requests; ${over('missesWithin10Ms')} took over 10 ms and ${over('missesWithin50Ms')} over 50 ms in the API)`,
  );
  // Every hit waits for one round trip to Postgres on the change feed's connection: a slow one slows them all.
  const waits = after.hitWaits - before.hitWaits;
  const waitsOver = (within: keyof ReadCacheCounts) => waits - (after[within] - before[within]);
  console.log(
    `${prefix}_${rate}_cache_hit_waits_over_10ms: ${waitsOver('hitWaitsWithin10Ms')} of ${waits} (${waitsOver('hitWaitsWithin50Ms')} over 50 ms)`,
  );
}

/**
 * `api_<route>_<rate>_in_api_over_50ms`: requests the API itself took over 50 ms with, from its routing
 * middleware to the answer sent. A caller's p99 over 50 ms with none here waited outside the API's handling:
 * queued in a socket before the API read it (its loop busy or stalled), or in the caller.
 */
export function reportTimedInApi(
  prefix: string,
  rate: number,
  before: ReadCacheCounts,
  after: ReadCacheCounts,
): void {
  const timed = after.requestsTimed - before.requestsTimed;
  const over = timed - (after.requestsWithin50Ms - before.requestsWithin50Ms);
  console.log(`${prefix}_${rate}_in_api_over_50ms: ${over} of ${timed} requests`);
}
