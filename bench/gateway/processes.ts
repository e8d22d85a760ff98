import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runLoadProcess } from '../support/load-process';
import type { LoadJob, LoadResult } from './load-child';

/** The stand-in tool (upstream-child.ts) in a process of its own, once it listens. */
export async function startStandInTool(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'upstream-child.js'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (port: number) => resolve(port));
    child.once('exit', (code) => reject(new Error(`the stand-in tool exited with ${code}`)));
  });
  return { child, port };
}

/**
 * The node options the gateway runs with in production: those of `npm run start:gateway` (package.json), which
 * the k8s Deployment repeats (test/k8s-manifests checks they agree).
 */
export function productionNodeArgs(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const words = scripts['start:gateway'].split(/\s+/);
  return words.slice(words.indexOf('node') + 1, -1);
}

/**
 * The built gateway in a process of its own with the probe loaded (what it spends in the measured window, asked
 * over the IPC channel: see probe.ts), on a free port, with `env` over this process's, and with the node options
 * of production (`productionNodeArgs`). BENCH_GATEWAY_NODE_ARGS replaces those (an A/B of GC settings: empty for
 * V8's defaults; `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile, the production options added if wanted);
 * BENCH_GATEWAY_MAIN runs another build of the gateway (an A/B comparison against the same bench). Not yet
 * answering: see `gatewayAnswers`.
 */
export async function spawnProbedGateway(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const free = createServer();
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
  const { port } = free.address() as AddressInfo;
  await new Promise((resolve) => free.close(resolve));
  const child = spawn(
    process.execPath,
    [
      ...gatewayNodeArgs(),
      '--require',
      join(__dirname, 'probe.js'),
      process.env.BENCH_GATEWAY_MAIN ?? join(__dirname, '..', '..', 'apps', 'gateway', 'src', 'main.js'),
    ],
    {
      env: { ...process.env, ...env, LOG_LEVEL: 'silent', GATEWAY_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

/** What node runs the benched gateway with: BENCH_GATEWAY_NODE_ARGS when it is set (even empty), else production's. */
export function gatewayNodeArgs(): string[] {
  const chosen = process.env.BENCH_GATEWAY_NODE_ARGS;
  return chosen === undefined ? productionNodeArgs() : chosen.split(' ').filter(Boolean);
}

/** Resolves once the gateway's /health answers, or fails after `timeoutMs`. */
export async function gatewayAnswers(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('the gateway did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs one open-loop load in its own process (see load-child.ts) and returns what it measured. */
export const runLoad = (job: LoadJob): Promise<LoadResult> =>
  runLoadProcess(join(__dirname, 'load-child.js'), job);
