/** The API's read cache counters, from its /metrics: zero where the build has no read cache. */
export interface ReadCacheCounts {
  readonly hits: number;
  readonly misses: number;
  readonly bypasses: number;
  /** Misses answered within 10 ms and within 50 ms (the histogram's cumulative buckets). */
  readonly missesWithin10Ms: number;
  readonly missesWithin50Ms: number;
}

export async function readCacheCounts(metricsUrl: string): Promise<ReadCacheCounts> {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const counter = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`tre_read_cache_${name}_total`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const bucket = (le: string): number => {
    // Labels in any order (the registry adds `app`).
    const line = text
      .split('\n')
      .find((l) => l.startsWith('tre_read_cache_miss_seconds_bucket{') && l.includes(`le="${le}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return {
    hits: counter('hits'),
    misses: counter('misses'),
    bypasses: counter('bypasses'),
    missesWithin10Ms: bucket('0.01'),
    missesWithin50Ms: bucket('0.05'),
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
}
