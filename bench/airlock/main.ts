import 'reflect-metadata';
import { inParallel, percentile, seconds, startAirlockStack } from '../support/airlock-stack';
import { benchTable } from './tables';

/**
 * The airlock under load, end to end: the built API and worker as separate processes on real PostgreSQL and
 * Redis; 100 requests (BENCH_AIRLOCK_REQUESTS) of 5 files, each a 2,500-cell table with its record, written
 * in the workspace's outputs folder and added by path (the collector, a local process with no cluster
 * attached), then all submitted at once. Times checking from the first submission until every request has
 * left the checks (in review or blocked), through the outbox, the queue and the worker's check job.
 */
const REQUESTS = Number(process.env.BENCH_AIRLOCK_REQUESTS ?? 100);
const FILES = 5;
const CELLS = 2_500;
const PARALLEL = 8;

async function main(): Promise<void> {
  const stack = await startAirlockStack('tre_bench_airlock');
  try {
    const { call, db } = stack;
    const ids: string[] = [];
    const addStarted = process.hrtime.bigint();
    for (let r = 0; r < REQUESTS; r++)
      ids.push(
        (await call<{ id: string }>('POST', '/outputs', { projectId: stack.projectId, title: `Tables ${r}` }))
          .id,
      );
    // One add at a time per request (a request has one live collect grant); requests in parallel.
    await inParallel(
      ids.map((id, r) => ({ id, r })),
      PARALLEL,
      async ({ id, r }) => {
        for (let f = 0; f < FILES; f++) {
          const { csv, record } = benchTable(r, f);
          const path = `r${r}/table-${f}.csv`;
          await stack.write(path, csv);
          await stack.write(`${path}.record.json`, JSON.stringify(record));
          await call('POST', `/outputs/${id}/paths`, { path, recordPath: `${path}.record.json` });
        }
      },
    );
    const addSeconds = seconds(addStarted);

    const checkStarted = process.hrtime.bigint();
    await inParallel(ids, PARALLEL, async (id) => {
      await call('POST', `/outputs/${id}/submit`);
    });
    const submitSeconds = seconds(checkStarted);
    for (;;) {
      const { rows: counted } = await db.query<{ done: number }>(
        `SELECT count(*)::int AS done FROM output_requests WHERE status IN ('in_review', 'blocked')`,
      );
      const done = counted[0].done;
      if (done >= REQUESTS) break;
      if (seconds(checkStarted) > 300)
        throw new Error(`only ${done} of ${REQUESTS} requests checked in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const total = seconds(checkStarted);
    const rows = await db.query<{ status: string; latency: number }>(
      `SELECT status, extract(epoch FROM checked_at - submitted_at)::float8 AS latency FROM output_requests`,
    );
    const latencies = rows.rows.map((row) => row.latency).sort((a, b) => a - b);
    const inReview = rows.rows.filter((row) => row.status === 'in_review').length;
    const files = REQUESTS * FILES;
    const figures: [string, string, string][] = [
      ['airlock_requests', String(REQUESTS), 'requests'],
      ['airlock_files', String(files), `files of ${CELLS} cells`],
      ['airlock_add_by_path_total', addSeconds.toFixed(2), 's'],
      ['airlock_submit_all', submitSeconds.toFixed(2), 's'],
      ['airlock_checking_end_to_end', total.toFixed(2), 's (target < 10)'],
      ['airlock_files_per_second', (files / total).toFixed(0), 'files/s'],
      ['airlock_cells_per_second', ((files * CELLS) / total).toFixed(0), 'cells/s'],
      ['airlock_request_latency_p50', percentile(latencies, 50).toFixed(2), 's'],
      ['airlock_request_latency_p95', percentile(latencies, 95).toFixed(2), 's'],
      ['airlock_request_latency_max', latencies[latencies.length - 1].toFixed(2), 's'],
      ['airlock_in_review', String(inReview), 'requests'],
      ['airlock_blocked', String(REQUESTS - inReview), 'requests'],
    ];
    for (const [name, value, unit] of figures) process.stdout.write(`${name}: ${value} ${unit}\n`);
    if (inReview !== REQUESTS)
      throw new Error('every benchmark table is safe, yet some requests were blocked');
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
