import { subscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { GCProfiler, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
import { INTERVAL_MS, StallWatch, type Stall, type StallReport } from './stalls';

/**
 * Loaded into the gateway process by the benchmark (`node --require probe.js`; into the API by `bench -- api
 * --probe`): what the process itself did during the measured window, which latency figures alone cannot tell
 * apart from the machine's noise. On 'start'
 * (over the IPC channel) it resets; on 'stop' it answers with the CPU the process used, its event loop's delay
 * (how late a 10 ms timer ran: a stall every request queued behind), the GC pauses by kind and the calls it
 * made to the API, and its loop's stalls split by what the main thread did meanwhile (stalls.ts: its own work
 * or waiting for a CPU the machine's other processes held). With BENCH_GATEWAY_PROFILE=DIR it also writes a CPU profile of that window alone (node's
 * --cpu-prof covers the process's whole life: start-up, sessions opening and the WebSocket phase drown the
 * proxied requests), and a sampling heap profile of the window's allocations, collected objects included
 * (node's --heap-prof keeps only what is still alive at exit: a proxy's garbage is exactly what it leaves out).
 * Nothing of it runs in production.
 */
export interface ProbeReport {
  cpuMs: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayP999Ms: number;
  loopDelayMaxMs: number;
  /** By kind: how many, their total, the longest, and how many lasted over LONG_GC_MS. */
  gcPauses: Record<string, { count: number; ms: number; longestMs: number; over5Ms: number }>;
  /** Bytes the JavaScript heap allocated in the window (from the heap's size before and after each GC). */
  allocatedBytes: number;
  stalls: StallReport;
  /** The longest stalls, each with the GC time inside it (ms). */
  longestStalls: (Stall & { gcMs: number })[];
  apiCalls: Record<string, number>;
  /** TCP connections the gateway opened (to the tool and the API) and accepted in the window. */
  connectionsOpened: number;
  connectionsAccepted: number;
  /** The young generation's size now (V8 grows it up to --max-semi-space-size): allocation ≈ scavenges × this. */
  newSpaceMb: number;
  /** The process's resident memory at the window's end (a larger young generation costs memory). */
  rssMb: number;
  /** Minor page faults in the window: memory the process touched afresh (a young generation given back and
   * taken again faults its pages in each time). */
  minorPageFaults: number;
  /**
   * CPU ms the process's threads ran in the window: "main" (JavaScript, and GC work done on it), the rest by
   * the kernel's name for them ("V8 DefaultWorke": V8's GC helpers and compilers; "libuv-worker": the pool):
   * what a parallel collector hands its helpers shows here. Linux only; empty elsewhere.
   */
  threadsCpuMs: Record<string, number>;
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental-marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

/** A pause this long is one request-visible stall on its own at 1,000 requests/s (the target is 5 ms). */
const LONG_GC_MS = 5;

let gcPauses: ProbeReport['gcPauses'] = {};
/** The window's GC pauses (start, duration; performance.now() ms), to find the GC inside each stall. */
let gcSpans: [number, number][] = [];
let gcProfiler: GCProfiler | undefined;
const stallWatch = new StallWatch();
let apiCalls: Record<string, number> = {};
let connectionsOpened = 0;
let connectionsAccepted = 0;
// A new connection costs both ends a handshake and a socket's set-up: a pool that lets connections idle out
// pays that again on the next burst, just when the queue is longest.
subscribe('net.client.socket', () => (connectionsOpened += 1));
subscribe('net.server.socket', () => (connectionsAccepted += 1));
let cpuAtStart = process.cpuUsage();
const loop = monitorEventLoopDelay({ resolution: 10 });

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = GC_KINDS[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
    const total = (gcPauses[kind] ??= { count: 0, ms: 0, longestMs: 0, over5Ms: 0 });
    total.count += 1;
    total.ms += entry.duration;
    total.longestMs = Math.max(total.longestMs, Number(entry.duration.toFixed(2)));
    if (entry.duration > LONG_GC_MS) total.over5Ms += 1;
    gcSpans.push([entry.startTime, entry.duration]);
  }
}).observe({ entryTypes: ['gc'] });

// The gateway's calls to the API: with node:http (announced here, as the proxied requests to the tool are, which
// are left out by path) or, in earlier builds, with fetch (undici).
const countCall = (path: string) => {
  if (!path.startsWith('/gateway/')) return;
  const route = path.slice('/gateway/'.length).split('/')[0];
  apiCalls[route] = (apiCalls[route] ?? 0) + 1;
};
subscribe('http.client.request.start', (message) =>
  countCall((message as { request: { path: string } }).request.path),
);
subscribe('undici:request:create', (message) =>
  countCall((message as { request: { path: string } }).request.path),
);

/** CPU ns each thread of this process has run, summed by thread name (/proc/self/task/<tid>/schedstat). */
function threadsCpuNs(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const name =
        tid === String(process.pid) ? 'main' : readFileSync(`/proc/self/task/${tid}/comm`, 'latin1').trim();
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
      byName.set(name, (byName.get(name) ?? 0) + ns);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}
let threadsAtStart = new Map<string, number>();
let faultsAtStart = 0;

const newSpaceMb = () =>
  (getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20;
const ms = (ns: number) => Number((ns / 1e6).toFixed(2));

const profileDir = process.env.BENCH_GATEWAY_PROFILE;
const inspector = profileDir ? new Session() : undefined;
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    inspector!.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
if (inspector) {
  inspector.connect();
  void post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 500 }));
}

type GcStatistics = ReturnType<GCProfiler['stop']>['statistics'];

/** Allocation = what the heap grew by between GCs (each GC's "before" less the previous one's "after"). */
function allocated(statistics: GcStatistics): number {
  let total = 0;
  let previous: number | undefined;
  for (const gc of statistics) {
    const before = gc.beforeGC.heapStatistics.usedHeapSize;
    if (previous !== undefined) total += Math.max(0, before - previous);
    previous = gc.afterGC.heapStatistics.usedHeapSize;
  }
  if (previous !== undefined) total += Math.max(0, getHeapStatistics().used_heap_size - previous);
  return total;
}

/** GC time (ms) that overlaps one stall's gap: GC holds the main thread, so it is part of "on a CPU". */
function gcInside(stall: Stall): number {
  const end = stall.startedAt + stall.lateMs + INTERVAL_MS;
  let total = 0;
  for (const [start, duration] of gcSpans)
    total += Math.max(0, Math.min(end, start + duration) - Math.max(stall.startedAt, start));
  return Number(total.toFixed(1));
}

process.on('message', (message: string) => {
  if (message === 'start') {
    gcPauses = {};
    gcSpans = [];
    apiCalls = {};
    connectionsOpened = 0;
    connectionsAccepted = 0;
    gcProfiler = new GCProfiler();
    gcProfiler.start();
    stallWatch.start();
    threadsAtStart = threadsCpuNs();
    faultsAtStart = process.resourceUsage().minorPageFault;
    cpuAtStart = process.cpuUsage();
    loop.reset();
    loop.enable();
    if (inspector) {
      void post('Profiler.start');
      void post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
  } else if (message === 'stop') {
    loop.disable();
    const stalls = stallWatch.stop();
    const gcs = gcProfiler?.stop();
    // Read before the profile is taken: serialising it is the probe's work, not the gateway's.
    const cpu = process.cpuUsage(cpuAtStart);
    const threadsCpuMs: Record<string, number> = {};
    for (const [name, ns] of threadsCpuNs()) threadsCpuMs[name] = ms(ns - (threadsAtStart.get(name) ?? 0));
    if (inspector)
      void post('HeapProfiler.stopSampling').then((result) =>
        writeFileSync(
          join(profileDir!, `gateway-${process.pid}-${Date.now()}.heapprofile`),
          JSON.stringify((result as { profile: unknown }).profile),
        ),
      );
    if (inspector)
      void post('Profiler.stop').then((result) =>
        writeFileSync(
          join(profileDir!, `gateway-${process.pid}-${Date.now()}.cpuprofile`),
          JSON.stringify((result as { profile: unknown }).profile),
        ),
      );
    const report: ProbeReport = {
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayP50Ms: ms(loop.percentile(50)),
      loopDelayP99Ms: ms(loop.percentile(99)),
      loopDelayP999Ms: ms(loop.percentile(99.9)),
      loopDelayMaxMs: ms(loop.max),
      gcPauses,
      allocatedBytes: gcs ? allocated(gcs.statistics) : 0,
      stalls,
      longestStalls: stalls.longest.map((stall) => ({ ...stall, gcMs: gcInside(stall) })),
      apiCalls,
      connectionsOpened,
      connectionsAccepted,
      newSpaceMb: newSpaceMb(),
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      minorPageFaults: process.resourceUsage().minorPageFault - faultsAtStart,
      threadsCpuMs,
    };
    process.send?.(report);
  }
});
// The channel must not keep the gateway alive once it is told to stop.
process.channel?.unref();
