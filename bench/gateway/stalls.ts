import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Event-loop stalls in one process, each split by what its main thread did meanwhile, from the kernel's own
 * account (/proc/<pid>/task/<pid>/schedstat: ns on a CPU, ns runnable but waiting in the run queue for one):
 *
 * - on a CPU: the process's own work (JavaScript, GC on the main thread, syscalls) held the loop;
 * - waiting for a CPU: the machine was busy (other processes on the two cores), nothing the process did;
 * - the rest: the thread slept (blocked in the kernel, or idle before the timer was due).
 *
 * A latency tail alone cannot tell these apart; this can, per stall. A timer ticks every INTERVAL_MS; a tick
 * later than STALL_MS past its due time is a stall. Reading schedstat costs a pread of a /proc file per tick
 * (some microseconds, 200 times a second). Linux only; elsewhere the CPU and run-queue figures stay 0.
 */
export const INTERVAL_MS = 5;
export const STALL_MS = 5;
/** The longest stalls kept with their split (the rest are summed). */
const KEPT = 5;

export interface Stall {
  /** performance.now() when the stall began (the previous tick). */
  startedAt: number;
  /** How late the tick ran, ms. */
  lateMs: number;
  /** Of the whole gap (lateness and the interval), ms the main thread ran, and ms it waited for a CPU. */
  onCpuMs: number;
  waitingMs: number;
}

export interface StallReport {
  ticks: number;
  /** Ticks later than STALL_MS, their lateness summed, and the longest. */
  stalls: number;
  stallMs: number;
  longestMs: number;
  /** Over all stalls: ms on a CPU and ms waiting for one. */
  onCpuMs: number;
  waitingMs: number;
  /** Over the whole window: ms the main thread waited for a CPU (the machine's share of any delay). */
  windowWaitingMs: number;
  windowMs: number;
  longest: Stall[];
}

const round = (ms: number) => Number(ms.toFixed(1));

export class StallWatch {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(128);
  private timer: NodeJS.Timeout | undefined;
  private report = StallWatch.empty();
  private last = { at: 0, cpuNs: 0, waitNs: 0 };
  private first = { at: 0, waitNs: 0 };

  constructor() {
    try {
      this.fd = openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  private static empty(): StallReport {
    return {
      ticks: 0,
      stalls: 0,
      stallMs: 0,
      longestMs: 0,
      onCpuMs: 0,
      waitingMs: 0,
      windowWaitingMs: 0,
      windowMs: 0,
      longest: [],
    };
  }

  start(): void {
    this.stop();
    this.report = StallWatch.empty();
    this.last = this.sample();
    this.first = { at: this.last.at, waitNs: this.last.waitNs };
    this.timer = setInterval(() => this.tick(), INTERVAL_MS);
  }

  stop(): StallReport {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const now = this.sample();
    const report = this.report;
    report.windowWaitingMs = round((now.waitNs - this.first.waitNs) / 1e6);
    report.windowMs = round(now.at - this.first.at);
    report.stallMs = round(report.stallMs);
    report.onCpuMs = round(report.onCpuMs);
    report.waitingMs = round(report.waitingMs);
    return report;
  }

  close(): void {
    this.stop();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private tick(): void {
    const now = this.sample();
    const lateMs = now.at - this.last.at - INTERVAL_MS;
    const report = this.report;
    report.ticks += 1;
    if (lateMs > STALL_MS) {
      const stall: Stall = {
        startedAt: round(this.last.at),
        lateMs: round(lateMs),
        onCpuMs: round((now.cpuNs - this.last.cpuNs) / 1e6),
        waitingMs: round((now.waitNs - this.last.waitNs) / 1e6),
      };
      report.stalls += 1;
      report.stallMs += lateMs;
      report.longestMs = Math.max(report.longestMs, stall.lateMs);
      report.onCpuMs += stall.onCpuMs;
      report.waitingMs += stall.waitingMs;
      report.longest.push(stall);
      report.longest.sort((a, b) => b.lateMs - a.lateMs);
      report.longest.length = Math.min(report.longest.length, KEPT);
    }
    this.last = now;
  }

  private sample(): { at: number; cpuNs: number; waitNs: number } {
    const at = performance.now();
    if (this.fd === undefined) return { at, cpuNs: 0, waitNs: 0 };
    const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    const [cpuNs, waitNs] = this.buffer.toString('latin1', 0, length).split(' ').map(Number);
    return { at, cpuNs, waitNs };
  }
}
