import { setPriority } from 'node:os';
import { performance, PerformanceObserver } from 'node:perf_hooks';

/**
 * Open-model load: request n is due `n * 1000 / rate` ms after the start and is sent then, whatever the earlier
 * ones are doing (a slow server shows as latency, never as a lower offered rate). `fire` gets the request's due
 * time (performance.now() ms) and times the answer from it, not from when the request left: a generator that
 * falls behind (descheduled on a busy machine, or sending a backlog in a burst) would otherwise start its clock
 * late and hide exactly the queueing it is there to measure. Its own lateness is so charged to the server (the
 * pessimistic side), and `late` collects it (ms a request left after it was due) to say how much there was.
 */
export async function openLoop<T>(
  rate: number,
  seconds: number,
  fire: (n: number, due: number) => Promise<T>,
  late: number[] = [],
): Promise<T[]> {
  const total = Math.round(rate * seconds);
  const answers: Promise<T>[] = [];
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    late.push(Math.max(0, performance.now() - due));
    answers.push(fire(n, due));
  }
  return Promise.all(answers);
}

/** ms from `due` (performance.now() ms) to now. */
export const sinceDue = (due: number): number => performance.now() - due;

/**
 * The load generator stands for callers on other machines. At the same priority as the processes measured it
 * takes its share of this machine's two cores from them whenever all are busy, and the queue that builds behind
 * it is charged to them. At nice BENCH_LOAD_NICE (default 10; 0 for equal footing) the processes measured run
 * first; the generator still uses every idle moment, and whatever lateness that costs it is counted in the
 * latencies (see `openLoop`), never hidden.
 */
export function yieldToMeasured(): number {
  const nice = Number(process.env.BENCH_LOAD_NICE ?? 10);
  if (nice > 0) setPriority(nice);
  return nice;
}

/** The generator's own garbage collection over a load: a pause of its own delays its sends and its reads alike. */
export interface OwnGc {
  longestMs: number;
  totalMs: number;
}

/** Starts timing this process's GC pauses; the returned function stops and reports them. */
export function watchOwnGc(): () => OwnGc {
  const seen: OwnGc = { longestMs: 0, totalMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      seen.longestMs = Math.max(seen.longestMs, entry.duration);
      seen.totalMs += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    return seen;
  };
}
