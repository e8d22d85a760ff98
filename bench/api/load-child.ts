import { Agent, request } from 'node:http';

/**
 * The open-model load generator, in a process of its own so its work is not counted as the API's: one request
 * every 1000/rate ms whatever the earlier ones are doing (a slow API shows as latency, never as a lower offered
 * rate), over keep-alive connections, each request taking the next of the job's targets in turn. One unmeasured
 * second warms the connections first. Answers with a summary and exits.
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
  p50: number;
  p99: number;
  max: number;
}

function timed(job: ApiLoadJob, agent: Agent, n: number): Promise<number | string> {
  const target = job.targets[n % job.targets.length];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(new URL(target.path, job.baseUrl), { agent, headers: target.headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve(
          res.statusCode === 200 ? Number(process.hrtime.bigint() - started) / 1e6 : String(res.statusCode),
        ),
      );
      res.on('error', () => resolve('error'));
    });
    req.on('error', () => resolve('error'));
    req.end();
  });
}

async function openLoop(job: ApiLoadJob, agent: Agent, seconds: number): Promise<(number | string)[]> {
  const total = Math.round(job.rate * seconds);
  const answers: Promise<number | string>[] = [];
  const started = Date.now();
  for (let n = 0; n < total; n++) {
    const wait = started + (n * 1000) / job.rate - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(timed(job, agent, n));
  }
  return Promise.all(answers);
}

export function summarise(answers: (number | string)[], elapsedMs: number): ApiLoadResult {
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
  };
}

process.once('message', (job: ApiLoadJob) => {
  const agent = new Agent({ keepAlive: true, maxSockets: job.sockets });
  void (async () => {
    await openLoop(job, agent, 1);
    const started = Date.now();
    const answers = await openLoop(job, agent, job.seconds);
    const result = summarise(answers, Date.now() - started);
    agent.destroy();
    process.send?.(result, () => process.exit(0));
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
