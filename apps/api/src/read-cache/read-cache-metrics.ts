import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { ApiMetrics } from '../metrics/metrics.service';

export type InvalidationReason = 'table_changed' | 'local_write' | 'feed_reset';

/** The read cache on the API's /metrics: how often it answered, and why answers were dropped. */
@Injectable()
export class ReadCacheMetrics {
  readonly hits: Counter;
  readonly misses: Counter;
  /** Cacheable requests sent to the handler because the change feed was not listening. */
  readonly bypasses: Counter;
  readonly invalidations: Counter<'reason'>;
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
    this.entries = new Gauge({ name: 'tre_read_cache_entries', help: 'Answers kept', registers });
    this.bytes = new Gauge({ name: 'tre_read_cache_bytes', help: 'Size of the answers kept', registers });
  }
}
