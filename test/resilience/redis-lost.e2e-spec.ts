import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import { JobQueue, type QueueName } from '@tre/core';
import { samplePopulation, seedDatasets, seedSources } from '@tre/datasets';
import { startPrivateRedis, type PrivateRedis } from '@tre/testing';
import { loadOptOutList } from '../support/opt-outs';
import { application, callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';

const REPEATING = [
  'audit.verify-chain',
  'transparency.checkpoint',
  'projects.expire-due',
  'retention.sweep',
  'notifications.lapse-warnings',
  'events.dispatch',
  'events.converge',
  'workspaces.reconcile',
];

/**
 * Redis restarted empty (a private redis-server without persistence) after the outbox relay handed an
 * approval's jobs to it and marked the event dispatched. Postgres still says what should happen; the worker
 * must bring it about, whether it was running when Redis came back or started afterwards.
 */
describe('work Redis lost', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let worker: INestApplicationContext | undefined;
  let alice: Caller;
  let dev: Caller;
  let dora: Caller;
  let ada: Caller;
  const dirs: string[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const dir = (name: string) => {
      const made = mkdtempSync(join(tmpdir(), `tre-test-${name}-`));
      dirs.push(made);
      return made;
    };
    t = await startTestApp({
      REDIS_URL: redis.url,
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: dir('extracts'),
      PSEUDONYMISATION_KEY_FILE: join(dir('key'), 'master.key'),
      // Recovery must come from noticing the loss, not from the periodic sweep happening to run.
      SCHEDULE_CHECK_SECONDS: '1',
      CONVERGENCE_SWEEP_SECONDS: '3600',
    });
    await seedSources(t.env.database.url, { people: 120, seed: 5 });
    const [optedOut] = samplePopulation({ people: 120, seed: 5 }, 1);
    await loadOptOutList(t.app, 'national', [optedOut.nhsNumber]);
    await loadOptOutList(t.app, 'type1', [optedOut.nhsNumber]);
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    alice = await as('alice', ['researcher']);
    dev = await as('dev', ['dac_member']);
    dora = await as('dora', ['dac_member']);
    ada = await as('ada', ['admin']);
    const cara = await as('cara', ['data_custodian']);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await redis?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const db = () => t.app.get(DataSource);
  const jobs = () => t.app.get(JobQueue);
  const pause = (queues: QueueName[]) => Promise.all(queues.map((q) => jobs().queue(q).pause()));

  const approve = async (): Promise<{ projectId: string; approvalId: string }> => {
    const datasets = [{ datasetCode: 'GP_REGISTRATIONS', fields: ['nhs_number', 'sex'], legalBasis: 's251' }];
    const id = (await alice.post('/projects', application({ members: [], datasets }))).body.id as string;
    expect((await alice.post(`/projects/${id}/submit`)).status).toBe(204);
    await dev.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    expect(
      (await dora.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' })).body.status,
    ).toBe('approved');
    const [approval] = await db().query<{ id: string }[]>(
      `SELECT id FROM project_approvals WHERE project_id = $1`,
      [id],
    );
    return { projectId: id, approvalId: approval.id };
  };
  /** The relay has handed the event's jobs to Redis and marked it dispatched. */
  const relayed = (projectId: string, type: string) =>
    eventually(
      async () => {
        const [event] = await db().query<{ dispatched_at: Date | null }[]>(
          `SELECT dispatched_at FROM domain_events WHERE aggregate_id = $1 AND type = $2`,
          [projectId, type],
        );
        return event?.dispatched_at ? true : undefined;
      },
      15_000,
      `${type} to be relayed`,
    );
  const restartRedisEmpty = async () => {
    await redis.stop();
    await redis.start();
  };
  const converged = async (approvalId: string) => {
    let last: unknown;
    try {
      return await eventually(
        async () => {
          const [row] = await db().query<{ extract: string | null; workspace: string | null }[]>(
            `SELECT (SELECT status || ' ' || coalesce(failure_reason, '') FROM extracts WHERE approval_id = $1) AS extract,
                    (SELECT state FROM workspaces WHERE approval_id = $1) AS workspace`,
            [approvalId],
          );
          last = row;
          return row.extract?.startsWith('ready') && row.workspace === 'ready' ? row : undefined;
        },
        45_000,
        'a ready extract and workspace',
      );
    } catch (error: unknown) {
      throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`);
    }
  };

  it('under a running worker: the schedules come back and the approval gets its extract and workspace', async () => {
    worker = await startTestWorker();
    // Held in Redis, not yet run, when Redis loses them (the pause is lost with them).
    await pause(['extracts', 'workspaces']);
    const { projectId, approvalId } = await approve();
    await relayed(projectId, 'project.approved');
    expect(await jobs().queue('extracts').getJob(`extracts.build-${approvalId}`)).toBeDefined();

    await restartRedisEmpty();
    await eventually(
      async () => {
        const names = (await jobs().queue('events').getJobSchedulers()).map((s) => s.name);
        const all = await Promise.all(
          (['audit', 'projects', 'workspaces'] as const).map((q) => jobs().queue(q).getJobSchedulers()),
        );
        const every = [...names, ...all.flat().map((s) => s.name)];
        return REPEATING.every((name) => every.includes(name)) ? true : undefined;
      },
      10_000,
      'the repeating jobs to be registered again',
    );
    await converged(approvalId);

    // A suspension relayed and then lost is applied all the same.
    await pause(['workspaces']);
    expect((await ada.post(`/projects/${projectId}/suspend`, { reason: 'audit' })).status).toBe(204);
    await relayed(projectId, 'project.suspended');
    await restartRedisEmpty();
    await eventually(
      async () => {
        const [row] = await db().query<{ state: string }[]>(
          `SELECT state FROM workspaces WHERE approval_id = $1`,
          [approvalId],
        );
        return row.state === 'suspended' ? true : undefined;
      },
      20_000,
      'the workspace to be suspended',
    );
  }, 120_000);

  it('under a stopped worker: on start it finishes what was lost, a build left running included', async () => {
    await pause(['extracts', 'workspaces']);
    const { projectId, approvalId } = await approve();
    await relayed(projectId, 'project.approved');
    await worker!.close();
    worker = undefined;
    // As a worker killed mid-build leaves it: the row says running, and no job will ever finish it.
    await db().query(
      `INSERT INTO extracts (project_id, approval_id, status, key_version) VALUES ($1, $2, 'running', 1)`,
      [projectId, approvalId],
    );
    await restartRedisEmpty();

    worker = await startTestWorker();
    await converged(approvalId);
  }, 120_000);
});
