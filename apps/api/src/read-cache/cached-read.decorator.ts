import { SetMetadata } from '@nestjs/common';

export const CACHED_READ = 'tre:cachedRead';

/**
 * Opts a GET route into the read cache (see ReadCacheInterceptor), naming every table its answer is read from
 * as the change feed names them (`projects`, `optouts.entries`). An answer is served again to the same caller,
 * for the same URL, only while none of these tables has changed: a table left out is a stale answer, which
 * test/api/read-cache-declarations.e2e-spec.ts catches by watching the SQL each route runs. Only for routes
 * whose answer depends on nothing but these tables, the caller and the clock, and that write nothing.
 */
export const CachedRead = (tables: readonly string[]): MethodDecorator =>
  SetMetadata(CACHED_READ, [...new Set(tables)].sort());
