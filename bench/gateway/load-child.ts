import { Agent } from 'node:http';
import { openLoop, yieldToMeasured } from '../support/open-loop';
import { timedGet } from './load';

/**
 * The load generator in a process of its own: in the benchmark's main process it shared one event loop with the
 * API and the stand-in tool, so their work showed up as gateway latency. Receives one job, answers with every
 * latency (ms, null for a request that was not a 200) and how late each left, and exits.
 */
export interface LoadJob {
  url: string;
  rate: number;
  seconds: number;
  /** Cookies to send, one per request in turn; none when empty. */
  cookies: string[];
  sockets: number;
}

/** Every latency (ms; null for a failure) and how late each request left against the schedule (ms). */
export interface LoadResult {
  latencies: (number | null)[];
  late: number[];
}

process.once('message', (job: LoadJob) => {
  yieldToMeasured();
  const agent = new Agent({ keepAlive: true, maxSockets: job.sockets });
  const target = new URL(job.url);
  const fire = (n: number, due: number) =>
    timedGet(target, agent, job.cookies.length ? { cookie: job.cookies[n % job.cookies.length] } : {}, due);
  // One unmeasured second first: a new process starts with no connections, and opening them (and the
  // gateway's to the tool) while the measured requests queue would be counted as the gateway's latency.
  const late: number[] = [];
  void openLoop(job.rate, 1, fire)
    .then(() => openLoop(job.rate, job.seconds, fire, late))
    .then(
      (latencies) => {
        agent.destroy();
        // JSON has no NaN: failures travel as null.
        const result: LoadResult = {
          latencies: latencies.map((latency) => (Number.isNaN(latency) ? null : latency)),
          late,
        };
        process.send?.(result, () => process.exit(0));
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
});
