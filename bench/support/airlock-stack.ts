import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { mintDevToken, type Role } from '@tre/auth';
import { migrate } from '@tre/core';
import { seedDatasets } from '@tre/datasets';

/**
 * The built API and worker as separate processes on a database of the benchmark's own (recreated each run)
 * and real Redis, with no cluster attached: each workspace's outputs volume is a local folder, and outputs
 * enter requests only by path from it, as in production.
 */
export interface AirlockStack {
  readonly base: string;
  readonly db: Client;
  readonly researcher: string;
  readonly projectId: string;
  readonly workspaceId: string;
  readonly call: <T = { id?: string }>(method: string, path: string, body?: unknown) => Promise<T>;
  /** Writes a file in the workspace's outputs folder, as the researcher's code there would. */
  readonly write: (path: string, content: string | Buffer) => Promise<void>;
  readonly stop: () => Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

function start(name: 'api' | 'worker', env: NodeJS.ProcessEnv): ChildProcess {
  const entry = join(__dirname, '..', '..', 'apps', name, 'src', 'main.js');
  return spawn(process.execPath, [entry], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready`);
}

async function recreateDatabase(name: string): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  const url = new URL(`/${name}`, server).toString();
  await migrate(url);
  return url;
}

export async function inParallel<T>(
  items: T[],
  parallel: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Starts the stack on database `database` and an approved project whose workspace the worker requested. */
export async function startAirlockStack(
  database: string,
  env: NodeJS.ProcessEnv = {},
): Promise<AirlockStack> {
  const databaseUrl = await recreateDatabase(database);
  const devKeyFile = join(mkdtempSync(join(tmpdir(), `${database}-key-`)), 'dev.json');
  const localOutputs = mkdtempSync(join(tmpdir(), `${database}-outputs-`));
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `${database}-${randomBytes(4).toString('hex')}`,
    OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), `${database}-store-`)),
    WORKSPACE_DRIVER: 'manifests',
    WORKSPACE_MANIFESTS_DIR: mkdtempSync(join(tmpdir(), `${database}-manifests-`)),
    WORKSPACE_LOCAL_OUTPUTS_DIR: localOutputs,
    DEV_KEY_FILE: devKeyFile,
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000000',
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
    ...env,
  };
  const children = [start('api', childEnv), start('worker', childEnv)];
  const db = new Client({ connectionString: databaseUrl });
  const stop = async () => {
    await db.end().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
  };
  try {
    await ready(`http://127.0.0.1:${apiPort}/ready`);
    await ready(`http://127.0.0.1:${workerPort}/ready`);
    await db.connect();
    const base = `http://127.0.0.1:${apiPort}`;
    const token = (subject: string, roles: Role[]) =>
      mintDevToken(devKeyFile, { subject, name: subject, roles, expiresIn: '2h' });
    const as =
      (who: string) =>
      async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${who}`, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
        return (text ? JSON.parse(text) : {}) as T;
      };
    const researcher = await token('bench-alice', ['researcher']);
    const call = as(researcher);
    const custodian = as(await token('bench-cara', ['data_custodian']));
    for (const dataset of seedDatasets()) await custodian('POST', '/datasets', dataset);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const project = await call<{ id: string }>('POST', '/projects', {
      title: 'Airlock benchmark',
      laySummary: 'A project that exists so the airlock can be measured under load, with synthetic tables.',
      scientificPurpose: 'Measure the time the airlock takes to collect and check many outputs.',
      publicBenefit: 'A service that keeps up with its researchers.',
      organisation: 'Benchmark',
      requestedEndDate: inDays(365),
      accreditationExpiresOn: inDays(400),
      members: [],
      datasets: [{ datasetCode: 'HES_APC', fields: ['nhs_number', 'diagnosis'], legalBasis: 's251' }],
    });
    await call('POST', `/projects/${project.id}/submit`);
    for (const reviewer of ['bench-dev', 'bench-dora'])
      await as(await token(reviewer, ['dac_member']))('POST', `/projects/${project.id}/votes`, {
        decision: 'approve',
        comment: 'Fine.',
      });
    // The approval requests the workspace; the worker writes its row (and, with no cluster, its manifests).
    let workspaceId: string | undefined;
    for (let i = 0; i < 240 && !workspaceId; i++) {
      const { items } = await call<{ items: { id: string; projectId: string }[] }>('GET', '/workspaces');
      workspaceId = items.find((w) => w.projectId === project.id)?.id;
      if (!workspaceId) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!workspaceId) throw new Error('the approved project got no workspace');
    const folder = join(localOutputs, workspaceId);
    return {
      base,
      db,
      researcher,
      projectId: project.id,
      workspaceId,
      call,
      write: async (path, content) => {
        await mkdir(dirname(join(folder, path)), { recursive: true });
        await writeFile(join(folder, path), content);
      },
      stop,
    };
  } catch (error: unknown) {
    await stop();
    throw error;
  }
}
