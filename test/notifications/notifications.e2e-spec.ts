import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import { JobQueue } from '@tre/core';
import { countRecord, tableCsv } from '../support/output-fixtures';
import {
  application,
  caller,
  GP_DATASET,
  HES_DATASET,
  inDays,
  type Caller,
} from '../support/project-fixtures';
import { startLocalSmtp, type LocalSmtp, type ReceivedMail } from '../support/local-smtp';
import { startTestApp, type TestApp } from '../support/test-app';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';
import { eventually, startTestWorker } from '../support/test-worker';

const APP = 'http://tre.example.test';
const TITLE = 'Asthma admissions and air quality';
const OUTPUT_TITLE = 'Admissions by age and sex';
const SAFE = countRecord(
  'age_band',
  'sex',
  ['0-15', '16-64'],
  ['F', 'M'],
  [
    [40, 38],
    [120, 131],
  ],
);

interface InboxItem {
  id: string;
  kind: string;
  link: string;
  readAt: string | null;
}

/**
 * Notifications end to end: the API and the worker as they run, a real SMTP server receiving the emails.
 * Each kind reaches its people and only them; an email carries its link and nothing else; turning email off
 * stops the email but not the inbox; a cause delivered twice notifies once; a refused email is tried again
 * and the inbox row stays; nobody reads or marks another person's messages.
 */
describe('notifications', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let smtp: LocalSmtp;
  let db: DataSource;
  const people: Record<string, Caller> = {};
  const emails: Record<string, string> = {};
  let projectId: string;
  let requestId: string;
  let fileId: string;

  const person = async (subject: string, roles: Role[], withEmail = true) => {
    if (withEmail) emails[subject] = `${subject}@example.test`;
    const who = caller(t.app, subject, await t.env.token(subject, roles, emails[subject]));
    expect((await who.get('/me')).status).toBe(200); // signed in once: the service knows them and their address
    people[subject] = who;
    return who;
  };
  const inbox = async (subject: string): Promise<InboxItem[]> =>
    (await people[subject].get('/me/notifications?pageSize=200')).body.items as InboxItem[];
  /** Who holds a message of this kind (and link), by subject, once the worker has written them. */
  const holders = async (kind: string, link: string): Promise<string[]> => {
    const rows = await db.query<{ recipient_subject: string }[]>(
      `SELECT recipient_subject FROM notifications WHERE kind = $1 AND link = $2 ORDER BY 1`,
      [kind, link],
    );
    return rows.map((r) => r.recipient_subject);
  };
  const settled = (kind: string, link: string) =>
    eventually(
      async () => {
        const [row] = await db.query<{ pending: number; total: number }[]>(
          `SELECT count(*) FILTER (WHERE email_status = 'pending')::int AS pending, count(*)::int AS total
           FROM notifications WHERE kind = $1 AND link = $2`,
          [kind, link],
        );
        return row.total > 0 && row.pending === 0 ? row : undefined;
      },
      30_000,
      `${kind} emails settled`,
    );
  const mailsTo = (subject: string, link: string): ReceivedMail[] =>
    smtp.mails.filter((m) => m.to.includes(emails[subject]) && m.raw.includes(`${APP}${link}`));

  /** The email says its line and link and nothing about anyone or anything else. */
  const expectBare = (mail: ReceivedMail, recipient: string) => {
    expect(mail.to).toEqual([emails[recipient]]);
    expect(mail.raw).not.toContain(TITLE);
    expect(mail.raw).not.toContain(OUTPUT_TITLE);
    expect(mail.raw).not.toContain('admissions.csv');
    expect(mail.raw).not.toContain('age_band');
    for (const [subject, address] of Object.entries(emails)) {
      if (subject === recipient) continue;
      expect(mail.raw).not.toContain(address);
      expect(mail.raw).not.toContain(`Test ${subject}`);
    }
    expect(mail.raw).not.toContain(`Test ${recipient}`); // not even their own name
  };

  beforeAll(async () => {
    smtp = await startLocalSmtp();
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'TRE <no-reply@tre.example.test>',
      APP_PUBLIC_URL: APP,
      MAIL_RETRY_DELAY_SECONDS: '1',
      LAPSE_WARNING_DAYS: '10',
    });
    worker = await startTestWorker();
    db = t.app.get(DataSource);
    await person('lena', ['researcher']); // the lead
    await person('bob', ['researcher', 'output_checker']); // a member who is also a checker
    await person('dev', ['dac_member']);
    await person('dora', ['dac_member']); // turns email off
    await person('olga', ['output_checker']);
    await person('oscar', ['output_checker']);
    await person('cara', ['data_custodian']);
    await person('nomail', ['dac_member'], false); // no address: the inbox only
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await people.cara.post('/datasets', dataset)).status).toBe(201);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp?.close();
  });

  it('a person turns email off and on; the settings are their own', async () => {
    const before = await people.dora.get('/me/notification-settings');
    expect(before.body).toEqual({
      emailNotifications: true,
      emailAddress: 'dora@example.test',
      emailAvailable: true,
    });
    const off = await people.dora.put('/me/notification-settings', { emailNotifications: false });
    expect(off.status).toBe(200);
    expect(off.body.emailNotifications).toBe(false);
    expect((await people.dev.get('/me/notification-settings')).body.emailNotifications).toBe(true);
    expect((await people.dora.put('/me/notification-settings', { emailNotifications: 'no' })).status).toBe(
      400,
    );
  });

  it('an application to review reaches the committee (not its members, nor anyone else)', async () => {
    const created = await people.lena.post(
      '/projects',
      application({
        requestedEndDate: inDays(5),
        accreditationExpiresOn: inDays(7),
        members: [
          { subject: 'bob', accreditationExpiresOn: inDays(300) },
          // Named on the project, never signed in: no address is known for her.
          { subject: 'nina', accreditationExpiresOn: inDays(300) },
        ],
      }),
    );
    expect(created.status).toBe(201);
    projectId = created.body.id;
    expect((await people.lena.post(`/projects/${projectId}/submit`)).status).toBe(204);
    const link = `/app/committee/applications/${projectId}`;
    await settled('application_to_review', link);
    expect(await holders('application_to_review', link)).toEqual(['dev', 'dora', 'nomail']);
    // Email: dev only (dora turned it off, nomail has no address); the inbox: all three.
    expect(mailsTo('dev', link)).toHaveLength(1);
    expectBare(mailsTo('dev', link)[0], 'dev');
    expect(mailsTo('dev', link)[0].subject).toBe('An application is waiting for review');
    expect(smtp.mails.filter((m) => m.raw.includes(link)).flatMap((m) => m.to)).toEqual(['dev@example.test']);
    expect((await inbox('dora')).map((i) => i.link)).toContain(link);
    expect((await inbox('nomail')).map((i) => i.link)).toContain(link);
    expect(await inbox('lena')).toEqual([]);
    // Why the other two got the inbox only is kept on their rows.
    const reasons = await db.query<{ recipient_subject: string; email_not_sent_reason: string | null }[]>(
      `SELECT recipient_subject, email_not_sent_reason FROM notifications WHERE link = $1 ORDER BY 1`,
      [link],
    );
    expect(reasons).toEqual([
      { recipient_subject: 'dev', email_not_sent_reason: null },
      { recipient_subject: 'dora', email_not_sent_reason: 'email_off' },
      { recipient_subject: 'nomail', email_not_sent_reason: 'no_address' },
    ]);
  });

  it('a decision reaches the lead and the members', async () => {
    for (const reviewer of [people.dev, people.dora])
      expect(
        (await reviewer.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'Fine.' }))
          .status,
      ).toBe(200);
    const link = `/app/researcher/projects/${projectId}`;
    await settled('application_decided', link);
    expect(await holders('application_decided', link)).toEqual(['bob', 'lena', 'nina']);
    for (const who of ['bob', 'lena']) {
      expect(mailsTo(who, link)).toHaveLength(1);
      expectBare(mailsTo(who, link)[0], who);
    }
  });

  it('an output request to check reaches the checkers who are not on the project', async () => {
    requestId = (await people.lena.post('/outputs', { projectId, title: OUTPUT_TITLE })).body.id;
    const workspaceId = await readyWorkspaceOf(t, projectId);
    const added = await addOutput(
      people.lena,
      requestId,
      workspaceId,
      'admissions.csv',
      tableCsv(SAFE),
      SAFE,
    );
    expect(added.status).toBe(201);
    fileId = added.body.fileId as string;
    expect((await people.lena.post(`/outputs/${requestId}/submit`)).status).toBe(202);
    const link = `/app/checker/requests/${requestId}`;
    await settled('output_to_check', link);
    expect(await holders('output_to_check', link)).toEqual(['olga', 'oscar']);
    for (const who of ['olga', 'oscar']) expectBare(mailsTo(who, link)[0], who);
    expect(mailsTo('bob', link)).toEqual([]);
  });

  it('a conflict reaches the checkers who disagree, once; a release reaches the author and members', async () => {
    expect(
      (await people.olga.post(`/outputs/${requestId}/reviews`, { votes: [{ fileId, vote: 'approve' }] }))
        .status,
    ).toBe(200);
    const reject = { votes: [{ fileId, vote: 'reject', comment: 'Too fine.' }] };
    expect((await people.oscar.post(`/outputs/${requestId}/reviews`, reject)).body.outcome).toBe(
      'conflicted',
    );
    const conflictLink = `/app/checker/requests/${requestId}`;
    await settled('output_conflict', conflictLink);
    expect(await holders('output_conflict', conflictLink)).toEqual(['olga', 'oscar']);
    expect(mailsTo('olga', conflictLink).filter((m) => m.subject.includes('disagree'))).toHaveLength(1);

    // Oscar comes round: the request is approved and released.
    const revised = await people.oscar.put(`/outputs/${requestId}/reviews/mine`, {
      votes: [{ fileId, vote: 'approve' }],
    });
    expect(revised.status).toBe(200);
    const link = `/app/researcher/outputs/${requestId}`;
    await settled('output_released', link);
    expect(await holders('output_released', link)).toEqual(['bob', 'lena', 'nina']);
    for (const who of ['bob', 'lena']) expectBare(mailsTo(who, link)[0], who);
  });

  it('a member who never signed in has her messages in the inbox at her first sign-in, not by email', async () => {
    const rows = await db.query<{ email_status: string; email_not_sent_reason: string }[]>(
      `SELECT DISTINCT email_status, email_not_sent_reason FROM notifications WHERE recipient_subject = 'nina'`,
    );
    expect(rows).toEqual([{ email_status: 'not_sent', email_not_sent_reason: 'no_address' }]);
    // The admins see that someone named on a project has not signed in, and her messages waiting.
    const ada = caller(t.app, 'ada', await t.env.token('ada', ['admin']));
    type People = {
      items: { subject: string; emailAddressKnown: boolean; messagesNotEmailed: number }[];
      notSignedIn: { people: number; messages: number };
    };
    const before = (await ada.get('/people?pageSize=100')).body as People;
    expect(before.notSignedIn).toEqual({ people: 1, messages: 2 });
    expect(before.items.find((p) => p.subject === 'nomail')).toMatchObject({
      emailAddressKnown: false,
      messagesNotEmailed: 1,
    });
    expect(before.items.find((p) => p.subject === 'dev')).toMatchObject({
      emailAddressKnown: true,
      messagesNotEmailed: 0,
    });

    await person('nina', ['researcher']);
    expect((await inbox('nina')).map((i) => i.kind).sort()).toEqual([
      'application_decided',
      'output_released',
    ]);
    // Messages from before she signed in are not emailed late: she has them in the inbox now.
    expect(smtp.mails.filter((m) => m.to.includes(emails.nina))).toEqual([]);
    const after = (await ada.get('/people?pageSize=100')).body as People;
    expect(after.notSignedIn).toEqual({ people: 0, messages: 0 });
    expect(after.items.find((p) => p.subject === 'nina')).toMatchObject({
      emailAddressKnown: true,
      messagesNotEmailed: 2,
    });
  });

  it('a duplicate dispatch of the same events notifies nobody twice', async () => {
    const before = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM notifications`);
    const mailsBefore = smtp.mails.length;
    // The relay marks events dispatched; at least once means they may come again: mark them undispatched
    // and let the relay hand every one of them out a second time.
    await db.query(`UPDATE domain_events SET dispatched_at = NULL`);
    await eventually(async () => {
      const [row] = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`,
      );
      return row.n === 0 ? row : undefined;
    });
    // And the deliveries again, with the jobs gone from Redis (as after a loss).
    const events = await db.query<{ id: string }[]>(`SELECT id FROM domain_events`);
    const jobs = worker.get(JobQueue);
    for (const { id } of events) await jobs.requeue('notifications.deliver', { eventId: id });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await db.query(`SELECT count(*)::int AS n FROM notifications`)).toEqual(before);
    expect(smtp.mails.length).toBe(mailsBefore);
  });

  it('projects and accreditations about to lapse are warned of once per date', async () => {
    const jobs = worker.get(JobQueue);
    // Bob declared 300 days, but the admins' register says his accreditation ends in 5: the register decides.
    await db.query(
      `INSERT INTO accreditations (subject, expires_on, reference, state, updated_by)
       VALUES ('bob', CURRENT_DATE + 5, 'ONS AR 123', 'current', gen_random_uuid())`,
    );
    await jobs.enqueue('notifications.lapse-warnings', {});
    const link = `/app/researcher/projects/${projectId}`;
    await settled('accreditation_lapsing', link);
    await settled('project_lapsing', link);
    expect(await holders('project_lapsing', link)).toEqual(['bob', 'lena', 'nina']);
    // Lena's declared accreditation ends in 7 days, Bob's register record in 5.
    expect(await holders('accreditation_lapsing', link)).toEqual(['bob', 'lena']);
    const lapseMail = mailsTo('lena', link).filter(
      (m) => m.subject === 'Your accreditation is about to lapse',
    );
    expect(lapseMail).toHaveLength(1);
    expectBare(lapseMail[0], 'lena');
    await jobs.enqueue('notifications.lapse-warnings', {});
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await holders('accreditation_lapsing', link)).toEqual(['bob', 'lena']);
    expect(
      mailsTo('lena', link).filter((m) => m.subject === 'Your accreditation is about to lapse'),
    ).toHaveLength(1);
  });

  it('a refused email is tried again, and the inbox row is there all along', async () => {
    smtp.refuseNext(2);
    const refusedBefore = smtp.refused();
    // A second submission round of a new application reaches the committee again.
    const created = await people.lena.post('/projects', application({ title: 'A second application' }));
    const second = created.body.id as string;
    await people.lena.post(`/projects/${second}/submit`);
    const link = `/app/committee/applications/${second}`;
    const row = await eventually(async () => {
      const [r] = await db.query<{ id: string; email_status: string }[]>(
        `SELECT id, email_status FROM notifications WHERE link = $1 AND recipient_subject = 'dev'`,
        [link],
      );
      return r;
    });
    await eventually(async () => (smtp.refused() >= refusedBefore + 2 ? true : undefined));
    expect((await inbox('dev')).map((i) => i.link)).toContain(link);
    await settled('application_to_review', link);
    const [after] = await db.query<{ email_status: string }[]>(
      `SELECT email_status FROM notifications WHERE id = $1`,
      [row.id],
    );
    expect(after.email_status).toBe('sent');
    expect(mailsTo('dev', link)).toHaveLength(1);
  });

  it('the inbox: newest first, paged, with the unread count; read one, read all', async () => {
    const page = await people.lena.get('/me/notifications?pageSize=1');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(3);
    expect(page.body.unread).toBe(page.body.total);
    const all = await inbox('lena');
    const times = all.map((i) => (i as unknown as { createdAt: string }).createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await people.lena.post(`/me/notifications/${all[0].id}/read`)).status).toBe(204);
    expect((await people.lena.get('/me/notifications')).body.unread).toBe(all.length - 1);
    const readAll = await people.lena.post('/me/notifications/read-all');
    expect(readAll.body).toEqual({ marked: all.length - 1 });
    expect((await people.lena.get('/me/notifications')).body.unread).toBe(0);
  });

  it('pages through messages written at the same moment without repeating or skipping one', async () => {
    const written = await db.query<{ id: string }[]>(
      `INSERT INTO notifications (recipient_subject, kind, link, event_key, email_status, created_at)
       SELECT 'cara', 'output_released', '/app/researcher/outputs/x', 'tie:' || n, 'not_sent', '2026-01-01T00:00:00Z'
         FROM generate_series(1, 7) n RETURNING id`,
    );
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await people.cara.get(`/me/notifications?page=${page}&pageSize=3`);
      expect(res.body.total).toBe(7);
      seen.push(...(res.body.items as InboxItem[]).map((i) => i.id));
    }
    expect([...seen].sort()).toEqual(written.map((w) => w.id).sort());
  });

  it("nobody reads, or marks read, someone else's notification (safety)", async () => {
    const bobs = await inbox('bob');
    const target = bobs.find((i) => i.readAt === null)!;
    expect(target).toBeDefined();
    // Lena's inbox never lists it, and marking it read is a 404, as if it did not exist.
    expect((await inbox('lena')).map((i) => i.id)).not.toContain(target.id);
    const res = await people.lena.post(`/me/notifications/${target.id}/read`);
    expect(res.status).toBe(404);
    expect((await people.lena.post('/me/notifications/read-all')).status).toBe(200);
    expect((await inbox('bob')).find((i) => i.id === target.id)!.readAt).toBeNull();
  });
});
