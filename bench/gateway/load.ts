import { type Agent, request, type IncomingHttpHeaders } from 'node:http';

/**
 * One GET, resolved with its latency in ms once the whole body has arrived; NaN when it was not a 200 or the
 * connection failed (a kept-alive connection the server closed as it was reused): a failed request is counted,
 * it does not end the run.
 */
export function timedGet(url: URL, agent: Agent, headers: IncomingHttpHeaders = {}): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('error', () => resolve(Number.NaN));
      res.on('end', () => {
        resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - started) / 1e6 : Number.NaN);
      });
    });
    req.on('error', () => resolve(Number.NaN));
    req.end();
  });
}

/**
 * Open-loop load: starts one request every 1000/rate ms for `seconds`, whatever the previous ones are doing
 * (so a slow server shows up as latency, not as a lower rate), and returns every latency. `late` collects how
 * late each request left (ms) against its schedule: a generator that falls behind sends in bursts, and its
 * figures no longer describe the rate asked for.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  fire: (n: number) => Promise<number>,
  late: number[] = [],
) {
  const total = rate * seconds;
  const latencies: Promise<number>[] = [];
  const started = Date.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    late.push(Math.max(0, Date.now() - due));
    latencies.push(fire(n));
  }
  return Promise.all(latencies);
}

/** The p-th percentile of the answered requests (failures, NaN, left out and counted apart). */
export function percentile(values: number[], p: number): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
