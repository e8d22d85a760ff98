import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * `count` ports free on the loopback, all different: each is held open until all have been found, then released
 * (found one at a time, the kernel may hand out a port just released again: the API and the gateway were once
 * given the same one, and the demo talked to the gateway as if it were the API).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let n = 0; n < count; n++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject).listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** One port free on the loopback (when several are needed at once, `freePorts` keeps them apart). */
export const freePort = async (): Promise<number> => (await freePorts(1))[0];

/** Starts a built app (`dist/apps/<name>/src/main.js`) with its logs going to a file. */
export function startApp(
  name: 'api' | 'worker' | 'gateway',
  env: NodeJS.ProcessEnv,
  logFile: string,
): ChildProcess {
  const entry = join(__dirname, '..', '..', '..', name, 'src', 'main.js');
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/**
 * Runs a `tre` command as a child process of the built CLI, as a researcher would in the workspace's tool, and
 * answers its exit code and output.
 */
export function runTre(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = join(__dirname, '..', 'main.js');
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

/** SIGTERM, then SIGKILL if the process has not finished its graceful shutdown in time. */
export async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
