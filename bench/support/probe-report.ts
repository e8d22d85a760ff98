import type { ChildProcess } from 'node:child_process';
import type { StallReport } from '../gateway/stalls';
import { loadAverage } from './load-average';

/** One process's loop stalls over the window (see gateway/stalls.ts), split by what its main thread did. */
export function printStalls(name: string, stalls: StallReport): void {
  console.log(
    `${name}_loop_stalls: ${stalls.stallMs} ms (${stalls.stalls} stalls over 5 ms, longest ${stalls.longestMs} ms; in them on a CPU ${stalls.onCpuMs} ms, waiting for a CPU ${stalls.waitingMs} ms; waiting for a CPU over the whole ${stalls.windowMs} ms window ${stalls.windowWaitingMs} ms; ${loadAverage()})`,
  );
}

/** Sends 'stop' to a probed child (gateway/probe.ts, loaded with --require) and resolves with its report. */
export function ask<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve) => {
    child.once('message', (report: T) => resolve(report));
    child.send('stop');
  });
}
