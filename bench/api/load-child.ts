import { Agent, request } from 'node:http';
import { openLoop, sinceDue, watchOwnGc, yieldToMeasured, type OwnGc } from '../support/open-loop';

/**
 * The open-model load generator (../support/open-loop.ts: latency from when each request was due), in a process
 * of its own so its work is not counted as the API's, over keep-alive connections, each request taking the next
 * of the job's targets in turn. One unmeasured second warms the connections first. Answers with a summary and
 * exits.
 */
export interface ApiLoadJob {
  baseUrl: string;
  targets: { path: string; headers: Record<string, string> }[];
  rate: number;
  seconds: number;
  sockets: number;
}

export interface ApiLoadResult {
  sent: number;
  ok: number;
  /** Answers other than 200 by status, and transport failures as `error`. */
  failures: Record<string, number>;
  /** Answered requests a second over the run, from the first sent to the last answered. */
  sustained: number;
  /** How late the generator sent (ms after due; counted in the latencies): its 99th percentile and worst. */
  lateP99: number;
  lateMax: number;
  /** The generator's own GC pauses over the measured load. */
  ownGc: OwnGc;
  p50: number;
  p99: number;
  max: number;
}

function timed(job: ApiLoadJob, agent: Agent, n: number, due: number): Promise<number | string> {
  const target = job.targets[n % job.targets.length];
  return new Promise((resolve) => {
    const req = request(new URL(target.path, job.baseUrl), { agent, headers: target.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? sinceDue(due) : String(res.statusCode)));
      res.on('error', () => resolve('error'));
    });
    req.on('error', () => resolve('error'));
    req.end();
  });
}

export function summarise(
  answers: (number | string)[],
  elapsedMs: number,
  late: number[],
  ownGc: OwnGc,
): ApiLoadResult {
  const latencies = answers.filter((a): a is number => typeof a === 'number').sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  for (const answer of answers)
    if (typeof answer === 'string') failures[answer] = (failures[answer] ?? 0) + 1;
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    sent: answers.length,
    ok: latencies.length,
    failures,
    sustained: latencies.length / (elapsedMs / 1000),
    p50: at(50),
    p99: at(99),
    max: latencies[latencies.length - 1] ?? NaN,
    lateP99: [...late].sort((a, b) => a - b)[Math.floor(0.99 * late.length)] ?? NaN,
    lateMax: Math.max(...late),
    ownGc,
  };
}

process.once('message', (job: ApiLoadJob) => {
  yieldToMeasured();
  const agent = new Agent({ keepAlive: true, maxSockets: job.sockets });
  const fire = (n: number, due: number) => timed(job, agent, n, due);
  void (async () => {
    await openLoop(job.rate, 1, fire);
    const started = Date.now();
    const late: number[] = [];
    const stopWatchingGc = watchOwnGc();
    const answers = await openLoop(job.rate, job.seconds, fire, late);
    const result = summarise(answers, Date.now() - started, late, stopWatchingGc());
    agent.destroy();
    process.send?.(result, () => process.exit(0));
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
