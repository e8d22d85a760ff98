import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** A port on the loopback held by a placeholder server until `release()`: see reservedPort. */
export interface ReservedPort {
  readonly port: number;
  release(): Promise<void>;
}

/**
 * A port for a server whose address must be known before it starts (it goes into its own settings). A port
 * found free and then released can be taken by another process in the seconds before the server listens (a CI
 * run lost one so); held until `release()`, just before the server listens on it, it can only be lost in that
 * moment.
 */
export const reservedPort = (): Promise<ReservedPort> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, release: () => new Promise<void>((closed) => server.close(() => closed())) });
    });
  });

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The worker as it runs, on the test file's database and queue prefix (set up the environment first). */
export async function startTestWorker(): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  return worker;
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
