import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { mintDevToken, type Role } from '@tre/auth';
import { migrate } from '@tre/core';
import { seedDatasets } from '@tre/datasets';
import { benchTable } from './tables';

/**
 * The airlock under load, end to end: the built API and worker as separate processes on real PostgreSQL and
 * Redis; 100 requests (BENCH_AIRLOCK_REQUESTS) of 5 files, each a 2,500-cell table with its record, uploaded
 * over HTTP, then all submitted at once. Times checking from the first submission until every request has
 * left the checks (in review or blocked), through the outbox, the queue and the worker's check job.
 */
const REQUESTS = Number(process.env.BENCH_AIRLOCK_REQUESTS ?? 100);
const FILES = 5;
const CELLS = 2_500;
const PARALLEL = 8;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

function start(name: 'api' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const entry = join(__dirname, '..', '..', 'apps', name, 'src', 'main.js');
  return spawn(process.execPath, [entry], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready`);
}

async function recreateDatabase(): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tre_bench_airlock WITH (FORCE)');
  await admin.end();
  const url = new URL('/tre_bench_airlock', server).toString();
  await migrate(url);
  return url;
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const databaseUrl = await recreateDatabase();
  const devKeyFile = join(mkdtempSync(join(tmpdir(), 'tre-bench-airlock-key-')), 'dev.json');
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `tre-bench-airlock-${randomBytes(4).toString('hex')}`,
    OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-airlock-store-')),
    DEV_KEY_FILE: devKeyFile,
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000000',
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
  };
  const api = start('api', env);
  const worker = start('worker', env);
  const db = new Client({ connectionString: databaseUrl });
  try {
    await ready(`http://127.0.0.1:${apiPort}/ready`);
    await ready(`http://127.0.0.1:${workerPort}/ready`);
    const base = `http://127.0.0.1:${apiPort}`;
    const token = (subject: string, roles: Role[]) =>
      mintDevToken(devKeyFile, { subject, name: subject, roles, expiresIn: '1h' });
    const [researcher, custodian, dev, dora] = [
      await token('bench-alice', ['researcher']),
      await token('bench-cara', ['data_custodian']),
      await token('bench-dev', ['dac_member']),
      await token('bench-dora', ['dac_member']),
    ];
    const call = async (
      who: string,
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ id?: string }> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${who}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text ? (JSON.parse(text) as { id?: string }) : {};
    };
    for (const dataset of seedDatasets()) await call(custodian, 'POST', '/datasets', dataset);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const project = await call(researcher, 'POST', '/projects', {
      title: 'Airlock benchmark',
      laySummary: 'A project that exists so the airlock can be measured under load, with synthetic tables.',
      scientificPurpose: 'Measure the time the airlock takes to check many tables.',
      publicBenefit: 'A service that keeps up with its researchers.',
      organisation: 'Benchmark',
      requestedEndDate: inDays(365),
      accreditationExpiresOn: inDays(400),
      members: [],
      datasets: [{ datasetCode: 'HES_APC', fields: ['nhs_number', 'diagnosis'], legalBasis: 's251' }],
    });
    const projectId = project.id!;
    await call(researcher, 'POST', `/projects/${projectId}/submit`);
    for (const reviewer of [dev, dora])
      await call(reviewer, 'POST', `/projects/${projectId}/votes`, { decision: 'approve', comment: 'Fine.' });

    const ids: string[] = [];
    const uploadStarted = process.hrtime.bigint();
    for (let r = 0; r < REQUESTS; r++)
      ids.push((await call(researcher, 'POST', '/outputs', { projectId, title: `Tables ${r}` })).id!);
    const uploads = ids.flatMap((id, r) => Array.from({ length: FILES }, (_, f) => ({ id, r, f })));
    await inParallel(uploads, async ({ id, r, f }) => {
      const { csv, record } = benchTable(r, f);
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), `table-${f}.csv`);
      form.append('record', JSON.stringify(record));
      const response = await fetch(`${base}/outputs/${id}/files`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${researcher}` },
        body: form,
      });
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
    });
    const uploadSeconds = seconds(uploadStarted);

    await db.connect();
    const checkStarted = process.hrtime.bigint();
    await inParallel(ids, async (id) => {
      await call(researcher, 'POST', `/outputs/${id}/submit`);
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
      ['airlock_upload_total', uploadSeconds.toFixed(2), 's'],
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
    await db.end().catch(() => undefined);
    for (const child of [api, worker]) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
