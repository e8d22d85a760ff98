import 'reflect-metadata';
import { inParallel, percentile, seconds, startAirlockStack } from '../support/airlock-stack';

/**
 * Collection from the workspace, end to end: the built API and worker as separate processes, no cluster
 * attached (the collector is a local process over the workspace's outputs folder). 20 requests
 * (BENCH_COLLECT_REQUESTS) of 5 files of 1 MB (BENCH_COLLECT_BYTES): rectangular CSV tables of numbers, with no
 * record, so each is sniffed, hashed twice (by the collector and the intake), stored content-addressed and
 * scanned cell by cell for formulas by the worker's check. Reports the time and throughput of adding by
 * path, and of checking from the first submission until every request is in review.
 */
const REQUESTS = Number(process.env.BENCH_COLLECT_REQUESTS ?? 20);
const FILES = 5;
const BYTES = Number(process.env.BENCH_COLLECT_BYTES ?? 1_048_576);
const PARALLEL = 4;

/** A CSV table of about `bytes` bytes: a header and rows of ten numbers, distinct per request and file. */
function table(r: number, f: number, bytes: number): string {
  const header = 'id,a,b,c,d,e,f,g,h,i\n';
  const lines = [header];
  let size = header.length;
  for (let i = 0; size < bytes; i++) {
    const line = `${r}-${f}-${i},${Array.from({ length: 9 }, (_, k) => (i * 31 + k * 7 + r + f) % 100000).join(',')}\n`;
    if (size + line.length > bytes) break;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

async function main(): Promise<void> {
  const stack = await startAirlockStack('tre_bench_collect', { OUTPUT_MAX_FILE_BYTES: String(BYTES + 1) });
  try {
    const { call, db } = stack;
    const ids: string[] = [];
    for (let r = 0; r < REQUESTS; r++) {
      ids.push(
        (
          await call<{ id: string }>('POST', '/outputs', {
            projectId: stack.projectId,
            title: `Collect ${r}`,
          })
        ).id,
      );
      for (let f = 0; f < FILES; f++) await stack.write(`r${r}/data-${f}.csv`, table(r, f, BYTES));
    }
    const addLatencies: number[] = [];
    const collectStarted = process.hrtime.bigint();
    await inParallel(
      ids.map((id, r) => ({ id, r })),
      PARALLEL,
      async ({ id, r }) => {
        for (let f = 0; f < FILES; f++) {
          const started = process.hrtime.bigint();
          await call('POST', `/outputs/${id}/paths`, { path: `r${r}/data-${f}.csv` });
          addLatencies.push(seconds(started));
        }
      },
    );
    const collectSeconds = seconds(collectStarted);

    const checkStarted = process.hrtime.bigint();
    await inParallel(ids, PARALLEL, async (id) => {
      await call('POST', `/outputs/${id}/submit`);
    });
    for (;;) {
      const { rows } = await db.query<{ done: number }>(
        `SELECT count(*)::int AS done FROM output_requests WHERE status IN ('in_review', 'blocked')`,
      );
      if (rows[0].done >= REQUESTS) break;
      if (seconds(checkStarted) > 600)
        throw new Error(`only ${rows[0].done} of ${REQUESTS} checked in 600 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const checkSeconds = seconds(checkStarted);
    const { rows: states } = await db.query<{ status: string }>(`SELECT status FROM output_requests`);
    const inReview = states.filter((s) => s.status === 'in_review').length;
    const { rows: stored } = await db.query<{ files: number; bytes: string }>(
      `SELECT count(*)::int AS files, sum(size_bytes)::text AS bytes FROM output_files WHERE provenance->>'source' = 'workspace-outputs'`,
    );
    const files = REQUESTS * FILES;
    const megabytes = (files * BYTES) / 1_048_576;
    addLatencies.sort((a, b) => a - b);
    const figures: [string, string, string][] = [
      ['collect_requests', String(REQUESTS), 'requests'],
      ['collect_files', String(stored[0].files), `files of ${BYTES} bytes, collected by path`],
      ['collect_total', collectSeconds.toFixed(2), 's'],
      ['collect_throughput', (megabytes / collectSeconds).toFixed(1), 'MB/s'],
      ['collect_add_latency_p50', (percentile(addLatencies, 50) * 1000).toFixed(0), 'ms'],
      ['collect_add_latency_p95', (percentile(addLatencies, 95) * 1000).toFixed(0), 'ms'],
      ['collect_checking_end_to_end', checkSeconds.toFixed(2), 's'],
      ['collect_check_throughput', (megabytes / checkSeconds).toFixed(1), 'MB/s'],
      ['collect_end_to_end', (collectSeconds + checkSeconds).toFixed(2), 's (add by path + checks)'],
      ['collect_in_review', String(inReview), 'requests'],
    ];
    for (const [name, value, unit] of figures) process.stdout.write(`${name}: ${value} ${unit}\n`);
    if (stored[0].files !== files) throw new Error(`${stored[0].files} of ${files} files were collected`);
    if (inReview !== REQUESTS) throw new Error('every file is a plain table, yet some requests were blocked');
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
