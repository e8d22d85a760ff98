/** The API's read cache counters, from its /metrics: zero where the build has no read cache. */
export interface ReadCacheCounts {
  readonly hits: number;
  readonly misses: number;
  readonly bypasses: number;
}

export async function readCacheCounts(metricsUrl: string): Promise<ReadCacheCounts> {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const counter = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`tre_read_cache_${name}_total`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  return { hits: counter('hits'), misses: counter('misses'), bypasses: counter('bypasses') };
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
}
