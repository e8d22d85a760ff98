import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { migrate } from '@tre/core';
import { cpuMs, startApp, stop } from './api-process';
import { readCacheCounts, reportHitRatio, reportTimedInApi } from './read-cache-counts';
import { MachinePauseWatch, printMachinePauses } from '../support/machine-pauses';
import { IdentityProvider } from './identity-provider';
import type { ApiLoadJob, ApiLoadResult } from './load-child';
import { routeTargets } from './routes';
import { scaleOut } from './scale-out';
import { warm } from './warm';
import { runLoadProcess } from '../support/load-process';
import { loadAverage } from '../support/load-average';
import { ask, printStalls } from '../support/probe-report';
import type { ProbeReport } from '../gateway/probe';
import { seed, volumeAt, type SeedVolume } from './seed';

/**
 * `npm run bench -- api [--scale 0.1] [--rates 500,1000] [--seconds 5] [--routes a,b] [--reseed] [--probe]`: the API
 * under the web app's load, with a year's data (at scale 1: 1,000 projects, 50 datasets, 10,000 output
 * requests, 1,000,000 audit events) in `tre_bench_api_<scale>`, kept between runs (seeded again with
 * --reseed or when its volume differs). The API runs built, in a process of its own, NODE_ENV=production,
 * tokens from a stand-in OIDC provider, the rate limiter on: every caller is on 127.0.0.1, one client address,
 * so its budget is raised to RATE_LIMIT_PER_MINUTE=6,000,000 (100,000 a second, far above the load): each
 * request still pays the limiter's Redis round trip. Prints, per route and rate, requests/s sustained, p50,
 * p99 and failures, with the load average beside each. With --scale-out: two APIs and two workers behind
 * HAProxy, at the first of --rates (see scale-out.ts). With --probe, the API's loop stalls and GC pauses over
 * each load (the gateway bench's probe).
 */
const SOCKETS = 256;

export { loadAverage };

async function database(scale: number, reseed: boolean, volume: SeedVolume): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  // BENCH_API_DATABASE names another database (e.g. one engineer's own on a shared server).
  const name = process.env.BENCH_API_DATABASE ?? `tre_bench_api_${String(scale).replace('.', '_')}`;
  const url = new URL(`/${name}`, server).toString();
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  let seeded = false;
  if (exists && !reseed) {
    const client = new Client({ connectionString: url });
    await client.connect();
    const counted = await client.query<{ n: string }>('SELECT count(*) AS n FROM projects').then(
      (r) => Number(r.rows[0].n) === volume.projects,
      () => false,
    );
    await client.end();
    seeded = counted;
  }
  if (!seeded) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  // Migrations run every time: a run after a new index measures it.
  await migrate(url);
  if (!seeded) {
    const started = Date.now();
    await seed(url, IdentityProvider.issuer, volume);
    console.log(`api_seed_seconds: ${((Date.now() - started) / 1000).toFixed(1)} s (${describe(volume)})`);
  }
  return url;
}

const describe = (v: SeedVolume) =>
  `${v.projects} projects, ${v.datasets} datasets, ${v.outputRequests} output requests, ${v.auditEvents} audit events`;

/** Runs one open-model load in its own process (see load-child.ts). */
export const load = (job: ApiLoadJob): Promise<ApiLoadResult> =>
  runLoadProcess(join(__dirname, 'load-child.js'), job);

export function report(prefix: string, rate: number, result: ApiLoadResult): void {
  const failed = Object.entries(result.failures)
    .map(([what, count]) => `${count} x ${what}`)
    .join(', ');
  const at = `at ${rate} req/s offered, ${loadAverage()}`;
  console.log(`${prefix}_${rate}_sustained: ${result.sustained.toFixed(0)} req/s (${at})`);
  console.log(`${prefix}_${rate}_p50: ${result.p50.toFixed(1)} ms (${at})`);
  console.log(`${prefix}_${rate}_p99: ${result.p99.toFixed(1)} ms (${at}; max ${result.max.toFixed(0)} ms)`);
  console.log(
    `${prefix}_${rate}_errors: ${result.sent - result.ok} of ${result.sent}${failed ? ` (${failed})` : ''}`,
  );
  console.log(
    `${prefix}_${rate}_generator_late: p99 ${result.lateP99.toFixed(1)} ms, max ${result.lateMax.toFixed(0)} ms (how far behind its schedule the load generator sent: counted in the latencies; its own GC paused it ${result.ownGc.totalMs.toFixed(0)} ms in all, longest ${result.ownGc.longestMs.toFixed(1)} ms)`,
  );
}

/** The settings every API and worker of the benchmark runs with. */
export function appEnv(databaseUrl: string, idp: IdentityProvider): Record<string, string> {
  // Production generates no keys of its own: the benchmark writes them, as an operator would.
  const secrets = mkdtempSync(join(tmpdir(), 'tre-bench-api-'));
  writeFileSync(join(secrets, 'pseudonymisation.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(secrets, 'transparency.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  return {
    ...idp.env(),
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `tre-bench-api-${randomBytes(3).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '6000000',
    GATEWAY_API_SECRET: randomBytes(24).toString('hex'),
    PSEUDONYMISATION_KEY_FILE: join(secrets, 'pseudonymisation.key'),
    TRANSPARENCY_KEY_FILE: join(secrets, 'transparency.pem'),
    EXTRACT_STORE_DIR: join(secrets, 'extracts'),
    OUTPUT_STORE_DIR: join(secrets, 'outputs'),
    // The production overlay's settings: images pinned by digest, as production requires.
    WORKSPACE_SETTINGS_FILE: join(
      __dirname,
      '..',
      '..',
      '..',
      'k8s',
      'overlays',
      'production',
      'workspaces.json',
    ),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      rates: { type: 'string', default: '500,1000' },
      seconds: { type: 'string', default: '5' },
      routes: { type: 'string' },
      reseed: { type: 'boolean', default: false },
      'scale-out': { type: 'boolean', default: false },
      transactions: { type: 'boolean', default: false },
      probe: { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  const volume = volumeAt(scale);
  const databaseUrl = await database(scale, values.reseed, volume);
  const idp = await IdentityProvider.start();
  if (values['scale-out']) {
    const all = await routeTargets(idp, volume);
    // Every route's callers in turn: the web app's mix rather than one route at a time.
    const mixed = Object.values(all).flatMap((targets, route) =>
      targets.map((t, n) => ({ t, key: n * 100 + route })),
    );
    await scaleOut({
      databaseUrl,
      env: appEnv(databaseUrl, idp),
      idp,
      targets: mixed.sort((a, b) => a.key - b.key).map(({ t }) => t),
      rate: Number(values.rates.split(',')[0]),
      seconds: Number(values.seconds),
      load: (baseUrl, targets, rate, seconds) => load({ baseUrl, targets, rate, seconds, sockets: SOCKETS }),
      report,
    });
    return idp.close();
  }
  const api = await startApp('api', appEnv(databaseUrl, idp), 'PORT', { probe: values.probe });
  let pauses: MachinePauseWatch | undefined;
  try {
    const all = await routeTargets(idp, volume);
    const chosen = values.routes ? values.routes.split(',') : Object.keys(all);
    await warm(api.url, Object.values(all).flat());
    // Opt-in: the watchers' 1 ms timers at high priority take a little of the machine from what is measured.
    if (process.env.BENCH_WATCH_PAUSES === '1') pauses = new MachinePauseWatch();
    for (const rate of values.rates.split(',').map(Number)) {
      for (const route of chosen) {
        if (!all[route]) throw new Error(`no route "${route}"; there are: ${Object.keys(all).join(', ')}`);
        const job = {
          baseUrl: api.url,
          targets: all[route],
          rate,
          seconds: Number(values.seconds),
          sockets: SOCKETS,
        };
        const transactionsBefore = values.transactions ? await transactionsOf(databaseUrl) : 0;
        const cacheBefore = await readCacheCounts(api.metricsUrl);
        const cpuBefore = cpuMs(api.child.pid!);
        if (values.probe) api.child.send('start');
        pauses?.restart();
        const result = await load(job);
        if (pauses) printMachinePauses(`api_${route}_${rate}`, pauses.report());
        if (values.probe) reportProbe(`api_${route}_${rate}`, await ask<ProbeReport>(api.child));
        report(`api_${route}`, rate, result);
        const cacheAfter = await readCacheCounts(api.metricsUrl);
        reportHitRatio(`api_${route}`, rate, cacheBefore, cacheAfter);
        reportTimedInApi(`api_${route}`, rate, cacheBefore, cacheAfter);
        // The load's unmeasured first second is in the CPU time too: divided by every request sent.
        const perRequest = (cpuMs(api.child.pid!) - cpuBefore) / (result.sent + rate);
        console.log(`api_${route}_${rate}_cpu_per_request: ${perRequest.toFixed(2)} ms (API process)`);
        if (values.transactions) {
          const transactions = (await transactionsOf(databaseUrl)) - transactionsBefore;
          console.log(
            `api_${route}_${rate}_transactions_per_request: ${(transactions / (result.sent + rate)).toFixed(2)} (Postgres)`,
          );
        }
      }
    }
  } finally {
    pauses?.stop();
    await stop(api);
    await idp.close();
  }
}

/** With --probe: the API's loop stalls over the load (on a CPU, or waiting for one) and its longest GC pauses. */
function reportProbe(prefix: string, probe: ProbeReport): void {
  printStalls(prefix, probe.stalls);
  console.log(
    `${prefix}_longest_stalls: ${probe.longestStalls.map((s) => `${s.lateMs} ms (on a CPU ${s.onCpuMs}, GC ${s.gcMs}, waiting for a CPU ${s.waitingMs})`).join('; ') || 'none'}`,
  );
  const pauses = Object.entries(probe.gcPauses);
  console.log(
    `${prefix}_gc_pauses: ${pauses.map(([kind, p]) => `${kind} ${p.count}x ${p.ms.toFixed(0)} ms, longest ${p.longestMs} ms`).join('; ') || 'none'}`,
  );
}

/**
 * Transactions Postgres has counted in the benchmark's database (each statement outside BEGIN is one): how many
 * round trips a request costs the database. A backend reports its counts at most once a second, and an idle one
 * up to 10 s later, so this waits 11 s first (`--transactions` only).
 */
async function transactionsOf(databaseUrl: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    // This query's own transaction is one of them: not the API's.
    return Number(rows[0].n) - 1;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
