import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Client } from 'pg';
import { WebSocket } from 'ws';
import { migrate } from '@tre/core';
import { startApp, stop } from '../api/api-process';
import { IdentityProvider } from '../api/identity-provider';
import { appEnv, loadAverage } from '../api/main';
import type { LoadJob } from './load-child';
import type { ProbeReport } from './probe';
import { ask, printStalls } from '../support/probe-report';
import type { StallReport } from './stalls';
import { percentile, timedGet } from './load';
import { MachinePauseWatch } from '../support/machine-pauses';
import { gatewayAnswers, gatewayNodeArgs, runLoad, spawnProbedGateway, startStandInTool } from './processes';
import { pin, placementFromEnv } from './placement';

/**
 * 200 concurrent sessions through one gateway process to a local upstream, each holding a WebSocket: the
 * latency the gateway adds per request at 1,000 requests/s (p50, p99, against going direct), WebSocket
 * messages per second, and the time from one suspension to all 200 sockets closed. Fails if any socket is
 * still open 5 s after the suspension.
 */
const SESSIONS = Number(process.env.BENCH_GATEWAY_SESSIONS ?? 200);
const RATE = Number(process.env.BENCH_GATEWAY_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 3);

async function database(): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "tre_bench_gateway" WITH (FORCE)`);
  await admin.end();
  const url = new URL('/tre_bench_gateway', server).toString();
  await migrate(url);
  return url;
}

/** An approved project with a ready workspace and SESSIONS members, written directly. */
async function seed(url: string): Promise<{ projectId: string; workspaceId: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const [projectId, approvalId, workspaceId] = [randomUUID(), randomUUID(), randomUUID()];
  await client.query(
    `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status, requested_end_date, end_date, approved_at)
     VALUES ($1, 'Gateway bench', 'lay', 'purpose', 'benefit', 'Org', $2, 'approved', '2099-01-01', '2099-01-01', now())`,
    [projectId, randomUUID()],
  );
  await client.query(
    `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions, end_date, approver_ids, approved_at, workspace)
     VALUES ($1, $2, 1, 1, '[]', '{}', '2099-01-01', '{}', now(), '{"size":"small","tool":"jupyterlab"}')`,
    [approvalId, projectId],
  );
  await client.query(
    `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state) VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready')`,
    [workspaceId, projectId, approvalId, `tre-ws-${workspaceId}`],
  );
  await client.query(
    `INSERT INTO project_members (project_id, subject, role, accreditation_expires_on)
     SELECT $1, 'bench-' || n, 'member', '2099-01-01' FROM generate_series(0, $2 - 1) AS n`,
    [projectId, SESSIONS],
  );
  await client.end();
  return { projectId, workspaceId };
}

async function main(): Promise<void> {
  const placement = placementFromEnv();
  // This process first: the API, the tool and the generators it starts inherit its CPUs.
  if (placement) pin(process.pid, placement.rest);
  const databaseUrl = await database();
  const ids = await seed(databaseUrl);
  // The API as production runs it, in a process of its own (in the benchmark's it shared an event loop with
  // the sessions' set-up and the revocation's timing): tokens from a stand-in identity provider.
  const idp = await IdentityProvider.start();
  const env = { ...appEnv(databaseUrl, idp), QUEUE_PREFIX: `tre-bench-gw-${randomBytes(3).toString('hex')}` };
  const api = await startApp('api', env, 'PORT');
  const apiUrl = api.url;

  const { child: upstream, port: upstreamPort } = await startStandInTool();
  const { child: gateway, url: gatewayUrl } = await spawnProbedGateway({
    ...env,
    GATEWAY_API_URL: apiUrl,
    GATEWAY_LOCAL_UPSTREAMS: `*=http://127.0.0.1:${upstreamPort}`,
  });
  if (placement) pin(gateway.pid!, placement.gateway);
  console.log(
    `gateway_cpu_placement: ${placement ? `gateway on CPU ${placement.gateway}, the bench's other processes on CPU ${placement.rest}` : 'none (every process on every CPU)'}`,
  );
  console.log(
    `gateway_node_args: ${gatewayNodeArgs().join(' ') || "none (V8's defaults)"} (BENCH_GATEWAY_NODE_ARGS replaces production's)`,
  );
  try {
    await gatewayAnswers(gatewayUrl);
    await run(apiUrl, gatewayUrl, upstreamPort, idp, ids, gateway, upstream);
  } finally {
    gateway.kill('SIGTERM');
    await stop(api);
    await idp.close();
    upstream.kill('SIGTERM');
  }
}

async function run(
  apiUrl: string,
  gatewayUrl: string,
  upstreamPort: number,
  idp: IdentityProvider,
  ids: { projectId: string; workspaceId: string },
  gateway: ChildProcess,
  upstream: ChildProcess,
): Promise<void> {
  const base = `/w/${ids.workspaceId}`;
  const cookies: string[] = [];
  for (let n = 0; n < SESSIONS; n++) {
    const token = await idp.token(`bench-${n}`, ['researcher']);
    const opened = (await (
      await fetch(`${apiUrl}/workspaces/${ids.workspaceId}/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { ticket: string };
    const redeemed = await fetch(`${gatewayUrl}${base}/_tre/redeem?ticket=${opened.ticket}`, {
      redirect: 'manual',
    });
    cookies.push((redeemed.headers.get('set-cookie') ?? '').split(';')[0]);
  }
  const sockets: WebSocket[] = [];
  // Sessions connect twenty at a time, as people arriving do, not all in one millisecond.
  for (let start = 0; start < cookies.length; start += 20) {
    const batch = cookies.slice(start, start + 20).map(
      (cookie) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${gatewayUrl.replace('http', 'ws')}${base}/api/kernels/k/channels`, {
            headers: { cookie },
          });
          socket.once('open', () => resolve(socket));
          socket.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  console.log(`gateway_sessions: ${sockets.length} sessions`);

  const agent = new Agent({ keepAlive: true, maxSockets: SESSIONS });
  const job = { rate: RATE, seconds: SECONDS, sockets: SESSIONS };
  const directJob = { ...job, url: `http://127.0.0.1:${upstreamPort}${base}/api/status`, cookies: [] };
  const proxiedJob = { ...job, url: `${gatewayUrl}${base}/api/status`, cookies };
  // Every session asks the API once (twenty at a time, each retried a second later until admitted: on a busy
  // machine the first decisions can miss the gateway's 5 s deadline), then the proxied run at once, so the
  // decisions are fresh (a real gateway re-checks the sessions in use once their decisions are half
  // GATEWAY_DECISION_CACHE_SECONDS old, as it does during the run; sessions idle through a direct run are not).
  const admitEverySession = async () => {
    for (let start = 0; start < cookies.length; start += 20) {
      await Promise.all(
        cookies.slice(start, start + 20).map(async (cookie) => {
          for (let attempt = 0; attempt < 5; attempt++) {
            const latency = await timedGet(new URL(proxiedJob.url), agent, { cookie });
            if (!Number.isNaN(latency)) return;
            // A failed decision stands for a second (FAILED_FOR_MS): asking sooner gets the same refusal.
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
          throw new Error('a session was never admitted');
        }),
      );
    }
  };
  // Direct and proxied runs alternate, ROUNDS of each and a last direct one, and each kind's answers are pooled:
  // one direct run beside one proxied run charged or credited the gateway with whatever the machine did in
  // either (a direct run's own p99 varied 2.6 to 8.6 ms from run to run). The gateway's probe covers the first
  // round's proxied run.
  const directRuns: Loaded[] = [];
  const proxiedRuns: Loaded[] = [];
  // Opt-in: the watchers' 1 ms timers at high priority take a little of the machine from what is measured.
  const machine = process.env.BENCH_WATCH_PAUSES === '1' ? new MachinePauseWatch() : undefined;
  const paused = { direct: [] as number[][], proxied: [] as number[][] };
  const watched = async (kind: keyof typeof paused, loading: () => Promise<Loaded>) => {
    machine?.restart();
    const run = await loading();
    if (machine) paused[kind].push(machine.report().pausesMs);
    return run;
  };
  let figures: ProbeReport | undefined;
  let control: StallReport | undefined;
  // A gateway runs for days: the rounds measure it warmed. Its first seconds under load cost more (the first
  // round after only the admissions: 477 to 547 µs of CPU a request, 325 to 422 once a run had gone before; the
  // code is compiled and the young generation grown as it goes), so one proxied run comes first, left out of the
  // rounds, and its figure is printed on its own as the cold one.
  await admitEverySession();
  const cold = await load(proxiedJob);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      directRuns.push(await watched('direct', () => load(directJob)));
      await admitEverySession();
      if (round === 0) {
        gateway.send('start');
        upstream.send('start');
      }
      proxiedRuns.push(await watched('proxied', () => load(proxiedJob)));
      if (round === 0)
        [figures, control] = await Promise.all([ask<ProbeReport>(gateway), ask<StallReport>(upstream)]);
    }
    directRuns.push(await watched('direct', () => load(directJob)));
  } finally {
    machine?.stop();
  }
  if (!figures || !control) throw new Error('no probe report');
  const proxied = proxiedRuns.flatMap((run) => run.latencies);
  const direct = directRuns.flatMap((run) => run.latencies);
  const failed = proxied.filter((latency) => Number.isNaN(latency)).length;
  console.log(`gateway_failed_requests: ${failed} of ${proxied.length} (${ROUNDS} runs; ${loadAverage()})`);
  const directFailed = direct.filter((latency) => Number.isNaN(latency)).length;
  console.log(
    `gateway_direct_failed_requests: ${directFailed} of ${direct.length} (${ROUNDS + 1} runs, around the proxied ones; ${loadAverage()})`,
  );
  const late = (runs: Loaded[]) => {
    const all = runs.flatMap((run) => run.late);
    return `p99 ${percentile(all, 99).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms`;
  };
  console.log(
    `gateway_generator_late: proxied ${late(proxiedRuns)}; direct ${late(directRuns)} (how far behind its schedule the load generator sent)`,
  );
  // Each proxied run against the direct runs on either side of it: how much the pooled figure hides.
  const roundsAdded = proxiedRuns.map((run, n) => {
    const around = [...directRuns[n].latencies, ...directRuns[n + 1].latencies];
    return (percentile(run.latencies, 99) - percentile(around, 99)).toFixed(1);
  });
  console.log(`gateway_added_latency_p99_each_round: ${roundsAdded.join(', ')} ms`);
  const coldAdded = percentile(cold.latencies, 99) - percentile(directRuns[0].latencies, 99);
  console.log(
    `gateway_cold_added_latency_p99: ${coldAdded.toFixed(1)} ms (the first ${SECONDS} s under load after start-up, against the first direct run; not in the figures below)`,
  );
  // Pauses of the whole machine (bench/support/machine-pauses.ts) in each run: what each round's figure is read beside.
  const pausesIn = (runs: number[][]) =>
    runs.map((ms) => (ms.length ? `${ms.join('+')} ms` : 'none')).join(' | ');
  if (machine)
    console.log(
      `gateway_machine_pauses_each_round: proxied ${pausesIn(paused.proxied)}; direct ${pausesIn(paused.direct)} (every process stopped at once)`,
    );
  const added = (p: number) => (percentile(proxied, p) - percentile(direct, p)).toFixed(2);
  console.log(`gateway_direct_latency_p50: ${percentile(direct, 50).toFixed(2)} ms (${loadAverage()})`);
  console.log(`gateway_direct_latency_p99: ${percentile(direct, 99).toFixed(2)} ms (${loadAverage()})`);
  console.log(
    `gateway_proxied_latency_p50: ${percentile(proxied, 50).toFixed(2)} ms (at ${RATE} req/s, ${loadAverage()})`,
  );
  console.log(
    `gateway_proxied_latency_p99: ${percentile(proxied, 99).toFixed(2)} ms (at ${RATE} req/s, ${loadAverage()})`,
  );
  console.log(`gateway_added_latency_p50: ${added(50)} ms (${loadAverage()})`);
  console.log(`gateway_added_latency_p99: ${added(99)} ms (target < 5 ms; ${loadAverage()})`);
  // The gateway's own figures over the proxied load, warm-up second included (the load's whole life).
  const requests = proxiedRuns[0].latencies.length * (1 + 1 / SECONDS);
  console.log(
    `gateway_cpu_per_request: ${((figures.cpuMs / requests) * 1000).toFixed(0)} µs (${loadAverage()})`,
  );
  console.log(
    `gateway_allocated_per_request: ${(figures.allocatedBytes / requests / 1024).toFixed(1)} KB (JavaScript heap; ${loadAverage()})`,
  );
  // monitorEventLoopDelay's figures are the whole gap between its 10 ms timer's runs: 10 ms is no delay.
  console.log(
    `gateway_event_loop_delay: p50 ${figures.loopDelayP50Ms} ms, p99 ${figures.loopDelayP99Ms} ms, p99.9 ${figures.loopDelayP999Ms} ms, max ${figures.loopDelayMaxMs} ms (a 10 ms timer's gap; ${loadAverage()})`,
  );
  printStalls('gateway', figures.stalls);
  console.log(
    `gateway_longest_stalls: ${figures.longestStalls.map((s) => `${s.lateMs} ms (on a CPU ${s.onCpuMs}, GC ${s.gcMs}, waiting for a CPU ${s.waitingMs})`).join('; ') || 'none'}`,
  );
  // The control: the stand-in tool's loop over the same window, a process doing a fraction of the work.
  printStalls('upstream', control);
  const pauses = Object.entries(figures.gcPauses);
  const gcTotal = pauses.reduce((sum, [, pause]) => sum + pause.ms, 0);
  console.log(
    `gateway_gc_pauses: ${gcTotal.toFixed(0)} ms (new space ${figures.newSpaceMb} MB, resident ${figures.rssMb} MB; ${pauses.map(([kind, p]) => `${kind} ${p.count}× ${p.ms.toFixed(0)} ms, longest ${p.longestMs} ms, ${p.over5Ms} over 5 ms`).join('; ')})`,
  );
  const longestGc = Math.max(0, ...pauses.map(([, p]) => p.longestMs));
  console.log(`gateway_gc_longest_pause: ${longestGc} ms`);
  console.log(
    `gateway_connections: opened ${figures.connectionsOpened}, accepted ${figures.connectionsAccepted} (in the window)`,
  );
  const calls = Object.entries(figures.apiCalls);
  console.log(
    `gateway_api_calls: ${calls.reduce((sum, [, n]) => sum + n, 0)} (${calls.map(([route, n]) => `${route} ${n}`).join(', ') || 'none'}; over ${SECONDS + 1} s)`,
  );

  // Every socket keeps 4 messages in flight for 3 s.
  let echoes = 0;
  let running = true;
  for (const socket of sockets) {
    socket.on('message', (message: Buffer) => {
      echoes += 1;
      if (running) socket.send(message);
    });
    for (let i = 0; i < 4; i++) socket.send('x'.repeat(64));
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  running = false;
  console.log(
    `gateway_ws_messages_per_second: ${Math.round(echoes / 3)} msg/s (echoed, ${SESSIONS} sockets, ${loadAverage()})`,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));

  const closings = sockets.map(
    (socket) => new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now()))),
  );
  const dac = await idp.token('bench-dac', ['dac_member']);
  const started = Date.now();
  const suspended = await fetch(`${apiUrl}/projects/${ids.projectId}/suspend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dac}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Benchmark suspension' }),
  });
  if (!suspended.ok) throw new Error(`suspending answered ${suspended.status}`);
  const last = await Promise.race([
    Promise.all(closings).then((times) => Math.max(...times)),
    new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 5000)),
  ]);
  if (Number.isNaN(last)) throw new Error('sockets still open 5 s after the suspension');
  console.log(
    `gateway_revocation_to_all_closed: ${last - started} ms (${SESSIONS} sockets; target < 2000 ms; ${loadAverage()})`,
  );
  agent.destroy();
}

interface Loaded {
  /** ms; NaN for a failure. */
  latencies: number[];
  late: number[];
}

/** Runs one open-loop load in its own process, failures (null in transit) as NaN. */
async function load(job: LoadJob): Promise<Loaded> {
  const result = await runLoad(job);
  return { latencies: result.latencies.map((latency) => latency ?? Number.NaN), late: result.late };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
