import { execFileSync } from 'node:child_process';

/**
 * `BENCH_GATEWAY_CPUS=0/1`: the gateway on the CPUs before the slash, and everything else the bench starts (the
 * stand-in tool, the load generators, the API, this process) on those after it. In a cluster the gateway runs
 * in a pod of its own with the CPU its Deployment requests, and the person's browser and the workspace's tool
 * are elsewhere; on this 2-core machine, unpinned, the bench's own generator and tool take turns on the
 * gateway's core, and their scheduling delays are counted as the gateway's. Unset: nothing is pinned.
 */
export interface Placement {
  readonly gateway: string;
  readonly rest: string;
}

export function placementFromEnv(value = process.env.BENCH_GATEWAY_CPUS): Placement | undefined {
  if (!value) return undefined;
  const match = /^([\d,-]+)\/([\d,-]+)$/.exec(value);
  if (!match)
    throw new Error(`BENCH_GATEWAY_CPUS must look like "0/1" (gateway CPUs/the rest), not "${value}"`);
  return { gateway: match[1], rest: match[2] };
}

/** Pins every thread of a process to a CPU list (children started after inherit it). */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpus, String(pid)], { stdio: 'ignore' });
}
