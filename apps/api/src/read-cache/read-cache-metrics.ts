import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ApiMetrics } from '../metrics/metrics.service';

export type InvalidationReason = 'table_changed' | 'local_write' | 'feed_reset';

/** Fine below 50 ms (the web app's p99 target, README "The API under load"), coarse above. */
export const MISS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The read cache on the API's /metrics: how often it answered, and why answers were dropped. */
@Injectable()
export class ReadCacheMetrics {
  readonly hits: Counter;
  readonly misses: Counter;
  /** Cacheable requests sent to the handler because the change feed was not listening. */
  readonly bypasses: Counter;
  readonly invalidations: Counter<'reason'>;
  /** From a miss's handler starting (after the guards) to its answer sent: what the misses cost the callers. */
  readonly missSeconds: Histogram;
  /** From a kept answer found to the change feed's catch-up round trip back: what every hit waits on Postgres. */
  readonly hitWaitSeconds: Histogram;
  readonly entries: Gauge;
  readonly bytes: Gauge;

  constructor(metrics: ApiMetrics) {
    const registers = [metrics.registry];
    this.hits = new Counter({
      name: 'tre_read_cache_hits_total',
      help: 'GETs answered from the read cache',
      registers,
    });
    this.misses = new Counter({
      name: 'tre_read_cache_misses_total',
      help: 'Cacheable GETs answered by their handler (no current answer kept)',
      registers,
    });
    this.bypasses = new Counter({
      name: 'tre_read_cache_bypasses_total',
      help: 'Cacheable GETs answered by their handler because the change feed was not listening',
      registers,
    });
    this.invalidations = new Counter({
      name: 'tre_read_cache_invalidations_total',
      help: 'Drops: an answer found with a table it read changed, or the whole cache on a write through this process or a loss or return of the change feed',
      labelNames: ['reason'],
      registers,
    });
    this.missSeconds = new Histogram({
      name: 'tre_read_cache_miss_seconds',
      help: 'Cacheable GETs answered by their handler: from the handler starting (after the guards) to the answer sent',
      buckets: MISS_BUCKETS,
      registers,
    });
    this.hitWaitSeconds = new Histogram({
      name: 'tre_read_cache_hit_wait_seconds',
      help: 'Cacheable GETs with an answer kept: from the answer found to the change feed caught up (the round trip to Postgres every hit waits on)',
      buckets: MISS_BUCKETS,
      registers,
    });
    this.entries = new Gauge({ name: 'tre_read_cache_entries', help: 'Answers kept', registers });
    this.bytes = new Gauge({ name: 'tre_read_cache_bytes', help: 'Size of the answers kept', registers });
  }
}
