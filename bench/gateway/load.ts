import { type Agent, request, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sinceDue } from '../support/open-loop';

/**
 * One GET, resolved with its latency in ms once the whole body has arrived, timed from `due` (performance.now()
 * ms: when an open loop meant to send it; now by default); NaN when it was not a 200 or the connection failed (a
 * kept-alive connection the server closed as it was reused): a failed request is counted, it does not end the run.
 */
export function timedGet(
  url: URL,
  agent: Agent,
  headers: IncomingHttpHeaders = {},
  due = performance.now(),
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('error', () => resolve(Number.NaN));
      res.on('end', () => {
        resolve(res.statusCode === 200 ? sinceDue(due) : Number.NaN);
      });
    });
    req.on('error', () => resolve(Number.NaN));
    req.end();
  });
}

/** The p-th percentile of the answered requests (failures, NaN, left out and counted apart). */
export function percentile(values: number[], p: number): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
