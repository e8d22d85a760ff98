import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from '../gateway/load';
import { loadAverage } from '../support/load-average';
import type { ProbeReport } from '../gateway/probe';
import {
  gatewayAnswers,
  gatewayNodeArgs,
  runLoad,
  spawnProbedGateway,
  startStandInTool,
} from '../gateway/processes';

/**
 * What one proxied request costs the gateway itself: CPU (µs) and JavaScript heap allocated (KB) per request,
 * at BENCH_GATEWAY_RATE requests/s (default 1,000) over 200 sessions, with the API replaced by a stand-in that
 * allows every session (no Postgres, no identity provider: a run takes seconds, and nothing else competes for
 * the two cores but the generator and the stand-in tool). CPU and allocation per request hardly move with the
 * machine's load, where latency does: this is the figure to compare builds by (`npm run bench -- gateway` is
 * the whole path, latency included). BENCH_GATEWAY_MAIN runs another build of the gateway (an A/B);
 * BENCH_GATEWAY_NODE_ARGS replaces the node options the gateway runs with in production (GC settings: an A/B;
 * empty for V8's defaults).
 */
const SESSIONS = 200;
const RATE = Number(process.env.BENCH_GATEWAY_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const WORKSPACE = randomUUID();
const nodeArgs = gatewayNodeArgs().join(' ');

const listening = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
};

/** The API's /gateway routes, allowing every session (its session id is its token). */
function standInApi(): Server {
  return createServer((req, res) => {
    void body(req).then((payload) => {
      const json = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/gateway/authorise') {
        const sessionId = String(payload.token);
        return json({
          allow: true,
          session: {
            sessionId,
            workspaceId: WORKSPACE,
            projectId: WORKSPACE,
            userId: sessionId,
            route: { tool: 'jupyterlab', namespace: 'ns', service: 'tool', port: 8888 },
          },
        });
      }
      if (req.url === '/gateway/recheck')
        return json({
          results: (payload.sessionIds as string[]).map((sessionId) => ({ sessionId, allow: true })),
        });
      res.writeHead(204).end();
    });
  });
}

async function main(): Promise<void> {
  const api = standInApi();
  const apiPort = await listening(api);
  const { child: upstream, port: upstreamPort } = await startStandInTool();
  const { child: gateway, url: gatewayUrl } = await spawnProbedGateway({
    GATEWAY_API_URL: `http://127.0.0.1:${apiPort}`,
    GATEWAY_API_SECRET: randomBytes(16).toString('hex'),
    GATEWAY_LOCAL_UPSTREAMS: `*=http://127.0.0.1:${upstreamPort}`,
    QUEUE_PREFIX: `tre-bench-gw-cost-${randomBytes(3).toString('hex')}`,
  });
  try {
    await gatewayAnswers(gatewayUrl);
    const cookies = Array.from({ length: SESSIONS }, (_, n) => `tre_session=bench-token-${n}; _xsrf=abc${n}`);
    const url = `${gatewayUrl}/w/${WORKSPACE}/api/status`;
    gateway.send('start');
    const run = await runLoad({ url, rate: RATE, seconds: SECONDS, cookies, sockets: SESSIONS });
    const figures = await new Promise<ProbeReport>((resolve) => {
      gateway.once('message', resolve);
      gateway.send('stop');
    });
    const direct = await runLoad({
      url: `http://127.0.0.1:${upstreamPort}/w/${WORKSPACE}/api/status`,
      rate: RATE,
      seconds: SECONDS,
      cookies: [],
      sockets: SESSIONS,
    });
    // The probe's window spans the generator's unmeasured first second too.
    const requests = run.latencies.length * (1 + 1 / SECONDS);
    const failed = run.latencies.filter((latency) => latency === null).length;
    const ms = (values: (number | null)[], p: number) =>
      percentile(
        values.map((v) => v ?? Number.NaN),
        p,
      ).toFixed(2);
    const scavenges = figures.gcPauses.scavenge ?? { count: 0, ms: 0, longestMs: 0 };
    console.log(
      `gateway_cost_connections: opened ${figures.connectionsOpened}, accepted ${figures.connectionsAccepted} (in the window)`,
    );
    console.log(`gateway_cost_failed_requests: ${failed} of ${run.latencies.length}`);
    console.log(
      `gateway_cost_cpu_per_request: ${((figures.cpuMs / requests) * 1000).toFixed(0)} µs (at ${RATE} req/s, ${loadAverage()})`,
    );
    console.log(
      `gateway_cost_allocated_per_request: ${(figures.allocatedBytes / requests / 1024).toFixed(1)} KB (JavaScript heap)`,
    );
    const threads = Object.entries(figures.threadsCpuMs)
      .filter(([, cpuMs]) => cpuMs >= 1)
      .map(([name, cpuMs]) => `${name} ${cpuMs.toFixed(0)} ms`)
      .join(', ');
    console.log(
      `gateway_cost_cpu_threads: ${figures.cpuMs.toFixed(0)} ms in all; ${threads || 'no per-thread figures'} (node ${nodeArgs || 'defaults'})`,
    );
    console.log(
      `gateway_cost_scavenges: ${scavenges.count} (${scavenges.ms.toFixed(0)} ms, longest ${scavenges.longestMs} ms, ${scavenges.over5Ms} over 5 ms; new space ${figures.newSpaceMb} MB, resident ${figures.rssMb} MB; ${figures.minorPageFaults} minor page faults)`,
    );
    const pauses = Object.entries(figures.gcPauses);
    console.log(
      `gateway_cost_gc_pauses: ${pauses.reduce((sum, [, p]) => sum + p.ms, 0).toFixed(0)} ms (${pauses.map(([kind, p]) => `${kind} ${p.count}× ${p.ms.toFixed(0)} ms, longest ${p.longestMs} ms`).join('; ')})`,
    );
    console.log(
      `gateway_cost_loop_stalls: ${figures.stalls.stallMs} ms (${figures.stalls.stalls} over 5 ms, longest ${figures.stalls.longestMs} ms; on a CPU ${figures.stalls.onCpuMs} ms, waiting for a CPU ${figures.stalls.waitingMs} ms)`,
    );
    console.log(
      `gateway_cost_longest_stalls: ${figures.longestStalls.map((s) => `${s.lateMs} ms (on a CPU ${s.onCpuMs}, GC ${s.gcMs}, waiting for a CPU ${s.waitingMs})`).join('; ') || 'none'}`,
    );
    console.log(
      `gateway_cost_latency: proxied p50 ${ms(run.latencies, 50)} ms, p99 ${ms(run.latencies, 99)} ms; direct p50 ${ms(direct.latencies, 50)} ms, p99 ${ms(direct.latencies, 99)} ms (${loadAverage()})`,
    );
  } finally {
    gateway.kill('SIGTERM');
    upstream.kill('SIGTERM');
    api.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
