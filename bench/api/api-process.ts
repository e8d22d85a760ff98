import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A free port on the loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface StartedProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Where the process's Prometheus /metrics answer (the API's API_METRICS_PORT). */
  readonly metricsUrl: string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

const DIST = join(__dirname, '..', '..', 'apps');

/**
 * Runs a built app (`api` or `worker`) as production runs it: its own process, NODE_ENV=production, logs at
 * the default level (to nowhere: writing them is part of the cost, reading them is not). BENCH_API_NODE_ARGS
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) is passed to node; `probe` loads the gateway bench's probe.
 */
export async function startApp(
  app: 'api' | 'worker',
  env: Record<string, string>,
  portVariable: 'PORT' | 'WORKER_PORT',
  options: { probe?: boolean } = {},
): Promise<StartedProcess> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
      // The gateway bench's probe (its loop's stalls and GC over a window, asked over the IPC channel).
      ...(options.probe ? ['--require', join(__dirname, '..', 'gateway', 'probe.js')] : []),
      join(DIST, app, 'src', 'main.js'),
    ],
    {
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'production',
        [portVariable]: String(port),
        API_METRICS_PORT: String(metricsPort),
      },
      stdio: ['ignore', 'ignore', 'inherit', ...(options.probe ? (['ipc'] as const) : [])],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null)
      throw new Error(`the ${app} exited with ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error(`the ${app} was not ready within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, url, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, exited };
}

/** SIGTERM, then the exit code (a graceful stop ends 0). */
export async function stop(started: StartedProcess): Promise<number | null> {
  if (started.child.exitCode === null) started.child.kill('SIGTERM');
  return started.exited;
}

/** CPU time (user + system, ms) a process has used so far, from /proc: what a request costs, whatever the load. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
