import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { JobQueue } from '@tre/core';
import { REPO_ROOT, spawnTs } from '@tre/testing';
import {
  EXTRACT_LOOKUP,
  LOAD_TOKEN_ISSUER,
  WorkspaceEntity,
  WorkspaceProvisioner,
  type ExtractLookup,
} from '@tre/workspaces';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import type { TestLoadTokenIssuer } from './test-load-token-issuer';

export const EXTRACT_ID = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** An extract that is always ready: the provisioner's view of the datasets library in these tests. */
export const readyExtract: ExtractLookup = {
  byApproval: () => Promise.resolve({ id: EXTRACT_ID, status: 'ready' }),
};

export interface WorkspaceWorker {
  context: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * The worker as it runs, with the test issuer standing in for the loading side and an extract that is ready.
 * Set up the environment first (database, queue prefix, cluster settings).
 */
export async function startWorkspaceWorker(
  issuer: TestLoadTokenIssuer,
  options: { extracts?: ExtractLookup; pollMs?: number } = {},
): Promise<WorkspaceWorker> {
  process.env.WORKER_PORT = '0';
  const moduleRef = await Test.createTestingModule({
    imports: [WorkerModule],
  })
    .overrideProvider(LOAD_TOKEN_ISSUER)
    .useValue(issuer)
    .overrideProvider(EXTRACT_LOOKUP)
    .useValue(options.extracts ?? readyExtract)
    .compile({});
  moduleRef.useLogger(false);
  const provisioner = moduleRef.get(WorkspaceProvisioner);
  provisioner.pollMs = options.pollMs ?? 50;
  provisioner.runnerOptions = { quickRetries: 3, quickRetryDelayMs: 20 };
  await moduleRef.init();
  return {
    context: moduleRef,
    close: () => moduleRef.close(),
  };
}

/** A workspace worker in a process of its own (test/support/workspace-worker-process.ts), to be killed. */
export interface WorkspaceWorkerProcess {
  /** Kills it as a crash does (SIGKILL) and waits until it is gone. */
  kill(): Promise<void>;
}

/** Starts a workspace worker in its own process, on the environment set up in this one; resolves once it runs. */
export async function spawnWorkspaceWorker(): Promise<WorkspaceWorkerProcess> {
  const child = spawnTs([join(REPO_ROOT, 'test/support/workspace-worker-process.ts')]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ready();
    });
    void exited.then(() => fail(new Error(`the worker process ended before it was ready: ${stderr}`)));
  });
  return {
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A project approved with a workspace choice, written directly (the review flow is tested elsewhere). */
export async function approvedProject(
  dataSource: DataSource,
  workspace: { size: string; tool: string } = { size: 'small', tool: 'jupyterlab' },
): Promise<{ projectId: string; approvalId: string }> {
  const projectId = randomUUID();
  const approvalId = randomUUID();
  await dataSource.query(
    `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status, requested_end_date, end_date, approved_at)
     VALUES ($1, 'Workspace test', 'lay', 'purpose', 'benefit', 'Org', $2, 'approved', '2099-01-01', '2099-01-01', now())`,
    [projectId, randomUUID()],
  );
  await dataSource.query(
    `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions, end_date, approver_ids, approved_at, workspace)
     VALUES ($1, $2, 1, 1, '[]', '{}', '2099-01-01', '{}', now(), $3)`,
    [approvalId, projectId, JSON.stringify(workspace)],
  );
  return { projectId, approvalId };
}

export async function requestWorkspace(context: INestApplicationContext, approvalId: string): Promise<void> {
  await context.get(JobQueue).enqueue('workspaces.request', { approvalId });
}

export function workspaceOfApproval(
  context: INestApplicationContext,
  approvalId: string,
): Promise<WorkspaceEntity | null> {
  return context.get(DataSource).getRepository(WorkspaceEntity).findOneBy({ approvalId });
}
