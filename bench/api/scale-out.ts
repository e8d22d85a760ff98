import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startApp, stop, type StartedProcess } from './api-process';
import { ChangeAnnouncements, reportAnnouncements } from './change-announcements';
import { readCacheCounts, reportHitRatio, type ReadCacheCounts } from './read-cache-counts';
import type { IdentityProvider } from './identity-provider';
import type { ApiLoadResult } from './load-child';
import type { Target } from './routes';
import { warm } from './warm';

/**
 * Two API processes and two workers on one Postgres and Redis, behind HAProxy (Debian's `haproxy`) balancing
 * round robin and checking each API's /ready every 300 ms. Once the workers' start-up work is done (`settled`), three runs of the same mixed load (every route's
 * callers in turn): one API alone, both through the proxy, and both through the proxy while the first is
 * stopped gracefully half-way (SIGTERM: it drains, then closes) and ten projects are suspended, each of which
 * the workers must act on exactly once. Then the audit chain must verify. Each run also prints each API's read
 * cache hit ratio and which tables the change feed announced during it, and how often (the workers write too).
 */
const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');

export interface ScaleOutDeps {
  databaseUrl: string;
  env: Record<string, string>;
  idp: IdentityProvider;
  targets: Target[];
  rate: number;
  seconds: number;
  load: (baseUrl: string, targets: Target[], rate: number, seconds: number) => Promise<ApiLoadResult>;
  report: (prefix: string, rate: number, result: ApiLoadResult) => void;
}

function haproxyConfig(port: number, apis: StartedProcess[]): string {
  const servers = apis.map((api, n) => `  server api${n + 1} ${new URL(api.url).host} check`).join('\n');
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  # A request that found a closed connection or no answer is sent again, to the other API.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
frontend api
  bind 127.0.0.1:${port}
  default_backend apis
backend apis
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  # Two failed checks half a second apart take an API out: a draining one, which answers 503 at once, within
  # about a second (it drains for API_DRAIN_SECONDS, 5 by default). A slow answer is not a failed one: on a
  # saturated machine a check waited over 3 s while the API was serving, and both APIs were taken out together.
  timeout check 10s
  # Each API takes at most 32 requests at once (three times its database pool); the rest wait in HAProxy's queue,
  # where a request goes to whichever API frees a slot first instead of queueing inside one that is stopping.
  timeout queue 30s
  default-server inter 500ms fall 2 rise 1 maxconn 32
${servers}
`;
}

async function startProxy(apis: StartedProcess[]): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'tre-bench-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(port, apis));
  const proxy = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 100) throw new Error('haproxy did not start (is the haproxy package installed?)');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => proxy.kill('SIGTERM') };
}

export async function scaleOut(deps: ScaleOutDeps): Promise<void> {
  const { rate, seconds, targets } = deps;
  const apis = [await startApp('api', deps.env, 'PORT'), await startApp('api', deps.env, 'PORT')];
  const workers = [
    await startApp('worker', deps.env, 'WORKER_PORT'),
    await startApp('worker', deps.env, 'WORKER_PORT'),
  ];
  const proxy = await startProxy(apis);
  try {
    await settled(deps.databaseUrl);
    // Each caller's first sighting at each API (a user row, an audit event) is before the loads, as in the
    // single-API runs.
    for (const api of apis) await warm(api.url, targets);
    await watched('api_scaleout_one_api', deps, [apis[1]], async () =>
      deps.report('api_scaleout_one_api', rate, await deps.load(apis[1].url, targets, rate, seconds)),
    );
    await watched('api_scaleout_two_apis', deps, apis, async () =>
      deps.report('api_scaleout_two_apis', rate, await deps.load(proxy.url, targets, rate, seconds)),
    );

    const suspended = await approvedProjects(deps.databaseUrl, 10);
    const dac = await deps.idp.token('bench-dac_member-0', ['dac_member']);
    let stopped: Promise<number | null> = Promise.resolve(null);
    let suspensions: number[] = [];
    // The first API's counts end where it is stopped (its /metrics go with it).
    await watched('api_scaleout_one_stopped', deps, apis, async (beforeStop) => {
      const running = deps.load(proxy.url, targets, rate, seconds * 2);
      // Half-way through the measured part (after the load's unmeasured first second).
      await new Promise((resolve) => setTimeout(resolve, 1000 + (seconds * 1000) / 2));
      await beforeStop(0);
      stopped = stop(apis[0]);
      suspensions = await Promise.all(
        suspended.map((id) =>
          fetch(`${proxy.url}/projects/${id}/suspend`, {
            method: 'POST',
            headers: { authorization: `Bearer ${dac}`, 'content-type': 'application/json' },
            body: JSON.stringify({ reason: 'Scale-out benchmark' }),
          }).then((r) => r.status),
        ),
      );
      deps.report('api_scaleout_one_stopped', rate, await running);
    });
    console.log(`api_scaleout_stopped_api_exit: ${await stopped} (0 is a graceful stop)`);
    console.log(
      `api_scaleout_suspensions: ${suspensions.filter((s) => s >= 200 && s < 300).length} of ${suspended.length} accepted (${suspensions.join(',')})`,
    );
    console.log(`api_scaleout_jobs_run_twice: ${await jobsRunTwice(deps.databaseUrl, suspended)}`);
    // By the CLI, as an operator would: the API's verification of 1,000,000 events is bounded by its statement
    // timeout, which a busy machine can exceed.
    const verified = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--json'], {
      env: { ...process.env, ...deps.env },
      encoding: 'utf8',
    });
    console.log(
      `api_scaleout_audit_chain: ${verified.stdout.trim() || verified.stderr.trim()} (exit ${verified.status})`,
    );
  } finally {
    proxy.stop();
    await Promise.all([...apis, ...workers].map(stop));
  }
}

/**
 * Runs one load while counting, per API, its read cache's hits and misses (`<prefix>_apiN_<rate>_cache_hit_ratio`)
 * and, on a connection of its own, the change feed's announcements (`<prefix>_announced`). `beforeStop(n)` takes
 * API n's last counts before the run stops it.
 */
async function watched(
  prefix: string,
  deps: ScaleOutDeps,
  apis: StartedProcess[],
  run: (beforeStop: (n: number) => Promise<void>) => Promise<void>,
): Promise<void> {
  const started = Date.now();
  const announcements = await ChangeAnnouncements.listen(deps.databaseUrl);
  const before = await Promise.all(apis.map((api) => readCacheCounts(api.metricsUrl)));
  const after: (ReadCacheCounts | undefined)[] = apis.map(() => undefined);
  await run(async (n) => {
    after[n] = await readCacheCounts(apis[n].metricsUrl);
  });
  for (const [n, api] of apis.entries()) {
    after[n] ??= await readCacheCounts(api.metricsUrl);
    const name = `${prefix}_api${apis.length === 1 ? 'alone' : n + 1}`;
    reportHitRatio(name, deps.rate, before[n], after[n]);
  }
  reportAnnouncements(prefix, Math.round((Date.now() - started) / 1000), await announcements.stop());
}

/** Audit events written in a row of this long with none after it: the workers have caught up. */
const QUIET_MS = 5_000;
const SETTLE_LIMIT_MS = 180_000;

/**
 * Waits for the workers' start-up work to end before any load: on their first pass they find every ready
 * workspace's objects missing (the benchmark's manifests folder is new each run: a cluster keeps its objects)
 * and recreate and audit each, and they take up the seeded projects' extracts, which have no source database
 * and fail. Each of those writes moves the generation of `audit_events` and `extracts`, dropping the cached
 * answers that read them: measured inside the loads, a one-off burst of a fresh deployment would pass for the
 * cache's steady state. Reports how long that took and what was written.
 */
async function settled(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const latest = async () =>
    Number((await client.query<{ n: string }>('SELECT max(seq)::text AS n FROM audit_events')).rows[0].n);
  const first = await latest();
  const started = Date.now();
  let last = first;
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS && Date.now() - started < SETTLE_LIMIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await latest();
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
  const written = await client.query<{ action: string; n: string }>(
    `SELECT action, count(*)::text AS n FROM audit_events WHERE seq > $1 GROUP BY action ORDER BY count(*) DESC`,
    [first],
  );
  await client.end();
  const what = written.rows.map((row) => `${row.action} ${row.n}`).join(', ') || 'nothing';
  console.log(
    `api_scaleout_workers_settled: ${((Date.now() - started) / 1000).toFixed(0)} s (audit events written meanwhile: ${what}${Date.now() - started >= SETTLE_LIMIT_MS ? '; still writing at the limit' : ''})`,
  );
}

async function approvedProjects(databaseUrl: string, count: number): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const rows = await client.query<{ id: string }>(
    `SELECT p.id FROM projects p JOIN workspaces w ON w.project_id = p.id
     WHERE p.status = 'approved' AND w.state = 'ready' ORDER BY p.id LIMIT $1`,
    [count],
  );
  await client.end();
  return rows.rows.map((row) => row.id);
}

/**
 * Waits (up to 30 s) for the workers to suspend each project's workspace, then says how many workspaces were
 * suspended more than once, and how many not at all, by the audit events the suspension job writes.
 */
async function jobsRunTwice(databaseUrl: string, projectIds: string[]): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let counts: number[] = [];
  for (let waited = 0; waited < 30_000; waited += 500) {
    const rows = await client.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM audit_events e WHERE e.action = 'workspace.suspended' AND e.subject_id = w.id::text) AS n
       FROM workspaces w WHERE w.project_id = ANY($1::uuid[])`,
      [projectIds],
    );
    counts = rows.rows.map((row) => Number(row.n));
    if (counts.every((n) => n >= 1)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await client.end();
  const twice = counts.filter((n) => n > 1).length;
  const never = counts.filter((n) => n === 0).length;
  return `${twice} (of ${counts.length} workspaces suspended by the workers; ${never} not suspended within 30 s)`;
}
