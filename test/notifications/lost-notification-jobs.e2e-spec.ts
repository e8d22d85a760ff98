import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueue } from '@tre/core';
import { startLocalSmtp, type LocalSmtp } from '../support/local-smtp';
import type { Role } from '@tre/auth';
import { application, caller, GP_DATASET, HES_DATASET, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';

const APP = 'http://tre.example.test';

/**
 * Notification work Redis lost, found again by the convergence sweep (real Postgres, Redis and SMTP server):
 * an event the relay dispatched whose `notifications.deliver` job never ran, and an inbox row whose email job
 * was never queued (the worker stopped between the two). The worker's start-up sweep must bring both about,
 * and a second sweep must send nothing twice.
 */
describe('notification jobs lost', () => {
  let t: TestApp;
  let worker: INestApplicationContext | undefined;
  let smtp: LocalSmtp;
  let lena: Caller;
  let projectId: string;

  const db = () => t.app.get(DataSource);
  /** Signed in once: the service knows their roles and address. */
  const signedIn = async (subject: string, roles: Role[]) => {
    const who = caller(t.app, subject, await t.env.token(subject, roles, `${subject}@example.test`));
    expect((await who.get('/me')).status).toBe(200);
    return who;
  };
  const mailsTo = (address: string, link: string) =>
    smtp.mails.filter((m) => m.to.includes(address) && m.raw.includes(`${APP}${link}`));

  beforeAll(async () => {
    smtp = await startLocalSmtp();
    t = await startTestApp({
      WORKER_PORT: '0',
      SMTP_URL: smtp.url,
      APP_PUBLIC_URL: APP,
      // Only the start-up sweep, and the one this test asks for, may find the lost work.
      CONVERGENCE_SWEEP_SECONDS: '3600',
    });
    lena = await signedIn('lena', ['researcher']);
    await signedIn('dev', ['dac_member']);
    const cara = await signedIn('cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp?.close();
  });

  it('the sweep delivers an event whose job was lost, and emails a row whose job was never queued, once', async () => {
    // No worker yet: the submission's event waits in the outbox. Say the relay dispatched it minutes ago
    // and Redis then lost its jobs (nothing is in Redis: no worker ever ran).
    projectId = (await lena.post('/projects', application())).body.id as string;
    expect((await lena.post(`/projects/${projectId}/submit`)).status).toBe(204);
    await db().query(`UPDATE domain_events SET dispatched_at = now() - interval '5 minutes'`);
    // And an inbox row written minutes ago whose email job was never queued.
    const orphanLink = `/app/researcher/projects/${projectId}`;
    await db().query(
      `INSERT INTO notifications (recipient_subject, kind, link, event_key, created_at)
       VALUES ('lena', 'application_decided', $1, 'event:orphan', now() - interval '5 minutes')`,
      [orphanLink],
    );

    worker = await startTestWorker(); // sweeps once at start-up
    const reviewLink = `/app/committee/applications/${projectId}`;
    await eventually(
      async () => (mailsTo('dev@example.test', reviewLink).length ? true : undefined),
      30_000,
      "the lost delivery's email to dev",
    );
    await eventually(
      async () => (mailsTo('lena@example.test', orphanLink).length ? true : undefined),
      30_000,
      "the orphan row's email to lena",
    );
    const [delivered] = await db().query<{ outcome: string }[]>(
      `SELECT d.outcome FROM notification_deliveries d JOIN domain_events e ON e.id = d.event_id
        WHERE e.type = 'project.submitted' AND e.aggregate_id = $1`,
      [projectId],
    );
    expect(delivered).toEqual({ outcome: 'delivered' });

    // A second sweep, with everything done: nothing is sent or written twice.
    const rowsBefore = await db().query(`SELECT count(*)::int AS n FROM notifications`);
    await worker.get(JobQueue).enqueue('events.converge', {});
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await db().query(`SELECT count(*)::int AS n FROM notifications`)).toEqual(rowsBefore);
    expect(mailsTo('dev@example.test', reviewLink)).toHaveLength(1);
    expect(mailsTo('lena@example.test', orphanLink)).toHaveLength(1);
  });

  it('leaves alone an event dispatched just now (its job may simply not have run yet)', async () => {
    // Dispatched a moment ago and undelivered: within the grace period, the sweep does not touch it.
    const [{ id }] = await db().query<{ id: string }[]>(
      `INSERT INTO domain_events (type, aggregate_type, aggregate_id, payload, dispatched_at)
       VALUES ('project.submitted', 'project', $1::uuid, jsonb_build_object('projectId', $1::text), now())
       RETURNING id::text AS id`,
      [projectId],
    );
    await worker!.get(JobQueue).enqueue('events.converge', {});
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await db().query(`SELECT 1 FROM notification_deliveries WHERE event_id = $1`, [id])).toEqual([]);
  });
});
