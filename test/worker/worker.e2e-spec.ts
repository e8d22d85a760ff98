import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { AuditService } from '@tre/audit';
import { JobQueue, redisOptionsFromUrl } from '@tre/core';
import { setUpTestEnvironment, type TestEnvironment } from '@tre/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { HealthServer } from '../../apps/worker/src/health/health-server';
import { eventually } from '../support/test-worker';

/** The worker as it runs: real Redis queues, real Postgres, its health and metrics port. */
describe('worker', () => {
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let port: number;
  let events: QueueEvents;

  beforeAll(async () => {
    // 0: the port the system picks as the worker listens (a port found free beforehand may be taken by then).
    env = await setUpTestEnvironment({ WORKER_PORT: '0' });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    port = worker.get(HealthServer).port!;
    events = new QueueEvents('audit', {
      connection: redisOptionsFromUrl('redis://127.0.0.1:6379'),
      prefix: env.queuePrefix,
    });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events.close();
    await worker.close();
    await env.teardown();
  });

  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
    return Number(line?.split(' ').pop());
  };

  const runVerification = async () => {
    const jobs = worker.get(JobQueue);
    // The scheduled run may already have claimed the fixed id; a fresh id makes this run ours to await.
    const job = await jobs.queue('audit').add('audit.verify-chain', {}, { jobId: `test-${Date.now()}` });
    await job.waitUntilFinished(events, 10_000);
  };

  it('serves health, readiness and a JSON 404 on its own port', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(await ready.json()).toEqual({
      status: 'ok',
      details: { postgres: { status: 'up' }, redis: { status: 'up' } },
    });
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });

  it('verifies the chain on start-up without being asked', async () => {
    let value = Number.NaN;
    for (let tries = 0; tries < 40 && Number.isNaN(value); tries += 1) {
      value = await metric('tre_audit_chain_valid');
      if (Number.isNaN(value)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(value).toBe(1);
  });

  it('schedules the audit re-verification and runs it from the queue', async () => {
    const schedulers = await worker.get(JobQueue).queue('audit').getJobSchedulers();
    expect(schedulers.map((s) => s.name)).toContain('audit.verify-chain');
    await runVerification();
    expect(await metric('tre_audit_chain_valid')).toBe(1);
    expect(await metric('tre_job_attempts_total')).toBeGreaterThanOrEqual(1);
  });

  it('raises the alarm metric when the chain has been tampered with', async () => {
    const owner = new Client({ connectionString: env.database.url });
    await owner.connect();
    try {
      // Forge an event behind the service's back: a row whose hash does not cover its content.
      await owner.query(
        `INSERT INTO audit_events (seq, occurred_at, actor_id, action, subject_type, details, prev_hash, hash)
         VALUES (1, now(), 'system:intruder', 'user.registered', 'user', '{}', repeat('0', 64), repeat('f', 64))`,
      );
    } finally {
      await owner.end();
    }
    await runVerification();
    expect(await metric('tre_audit_chain_valid')).toBe(0);
  });

  it('signs a transparency head at start-up, schedules more, and signs after a release (through the outbox)', async () => {
    const schedulers = await worker.get(JobQueue).queue('audit').getJobSchedulers();
    expect(schedulers.map((s) => s.name)).toContain('transparency.checkpoint');
    const owner = new Client({ connectionString: env.database.url });
    await owner.connect();
    const heads = async () =>
      (
        await owner.query<{ tree_size: string }>('SELECT tree_size FROM transparency_heads ORDER BY id')
      ).rows.map((r) => Number(r.tree_size));
    try {
      await eventually(async () => ((await heads()).length > 0 ? true : undefined), 10_000, 'the first head');
      await worker.get(AuditService).appendAlone({
        action: 'test.happened',
        subjectType: 'test',
        actorId: 'system:test',
      });
      await owner.query(
        `INSERT INTO domain_events (type, aggregate_type, aggregate_id, payload)
         VALUES ('output.released', 'output_request', gen_random_uuid(), '{}')`,
      );
      const sizes = await eventually(
        async () => ((await heads()).at(-1) === 2 ? heads() : undefined),
        15_000,
        'a head over the new event',
      );
      // The forged event above and this one.
      expect(sizes.at(-1)).toBe(2);
    } finally {
      await owner.end();
    }
  });
});
