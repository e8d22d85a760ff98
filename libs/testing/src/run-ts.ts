import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { join, resolve } from 'node:path';

/** The repository root, for paths to sources a child process runs. */
export const REPO_ROOT = resolve(__dirname, '../../..');
const REGISTER = join(REPO_ROOT, 'libs/testing/swc-register.cjs');

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Starts TypeScript sources in a real Node process, compiled on the fly; stdout and stderr are pipes. */
export function spawnTs(
  nodeArgs: string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['-r', REGISTER, ...nodeArgs], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs TypeScript sources in a real Node process, compiled on the fly (no build needed): `nodeArgs` are what
 * follows `node -r <register>`, e.g. `['apps/cli/src/main.ts', 'sdc', '--help']` or `['-e', script]`. Its
 * stdout arrives through a pipe, as in `tre ... | cat`. A process still running after `timeoutMs` is killed.
 */
export function runTs(
  nodeArgs: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawnTs(nodeArgs, options.env);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}
