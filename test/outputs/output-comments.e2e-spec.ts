import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Role } from '@tre/auth';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';
import { eventually, startTestWorker } from '../support/test-worker';

/** A table with nothing disclosive in it, so the request goes straight to review. */
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

/**
 * The checkers' comment thread over HTTP: private among the checkers who are not on the project while the
 * round is in review (the researcher, an admin and a checker on the project read nothing of it), open to the
 * project once the round is decided, and written only by checkers, only while in review.
 */
describe("the checkers' comment thread", () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let alice: Caller; // researcher, project lead
  let bob: Caller; // project member who is also an output checker
  let olga: Caller; // output checker
  let oscar: Caller; // output checker
  let ada: Caller; // admin
  let requestId: string;
  let fileId: string;

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
    });
    worker = await startTestWorker();
    alice = await person('alice', ['researcher']);
    bob = await person('bob', ['researcher', 'output_checker']);
    olga = await person('olga', ['output_checker']);
    oscar = await person('oscar', ['output_checker']);
    ada = await person('ada', ['admin']);
    const projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    requestId = (await alice.post('/outputs', { projectId, title: 'Admissions by age and sex' })).body.id;
    const workspaceId = await readyWorkspaceOf(t, projectId);
    const added = await addOutput(alice, requestId, workspaceId, 'admissions.csv', tableCsv(SAFE), SAFE);
    expect(added.status).toBe(201);
    fileId = added.body.fileId;
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('nobody comments before the request is in review', async () => {
    const res = await alice.post(`/outputs/${requestId}/submit`);
    expect(res.status).toBe(202);
    // Submitted or checking: not yet for the checkers (a draft is not even visible to them).
    const early = await olga.post(`/outputs/${requestId}/comments`, { body: 'Looks early.' });
    expect([404, 409]).toContain(early.status);
    await eventually(async () => {
      const body = (await alice.get(`/outputs/${requestId}`)).body as { status: string };
      return body.status === 'in_review' ? body : undefined;
    });
  });

  it('checkers write and read the thread; refusals say why and change nothing', async () => {
    const first = await olga.post(`/outputs/${requestId}/comments`, { body: '  Row totals add up.  ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ round: 1, body: 'Row totals add up.', fileId: null });
    const second = await oscar.post(`/outputs/${requestId}/comments`, {
      body: 'Agreed; the 16-64 men are well above the threshold.',
      fileId,
    });
    expect(second.status).toBe(201);

    const blank = await olga.post(`/outputs/${requestId}/comments`, { body: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.message).toMatch(/needs some text/);
    expect((await olga.post(`/outputs/${requestId}/comments`, { body: 'x'.repeat(4001) })).status).toBe(400);
    const unknownFile = await olga.post(`/outputs/${requestId}/comments`, {
      body: 'About a file that is not here.',
      fileId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownFile.status).toBe(404);
    // The researcher cannot write in it; a checker on the project cannot either.
    expect((await alice.post(`/outputs/${requestId}/comments`, { body: 'Please approve.' })).status).toBe(
      403,
    );
    const own = await bob.post(`/outputs/${requestId}/comments`, { body: 'It is fine, trust me.' });
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/member of this project/);

    const thread = await oscar.get(`/outputs/${requestId}/comments`);
    expect(thread.status).toBe(200);
    expect(thread.body.private).toBe(false);
    expect(thread.body.comments.map((c: { body: string }) => c.body)).toEqual([
      'Row totals add up.',
      'Agreed; the 16-64 men are well above the threshold.',
    ]);
  });

  it('while in review, the researcher, a checker on the project and an admin read none of it', async () => {
    for (const who of [alice, bob, ada]) {
      const res = await who.get(`/outputs/${requestId}/comments`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ private: true, comments: [] });
    }
    // The audit trail does not show who commented either, while the round is blind.
    const trail = await ada.get(`/audit?subjectId=${requestId}`);
    expect(trail.status).toBe(200);
    expect((trail.body.items as { action: string }[]).map((e) => e.action)).not.toContain('output.commented');
  });

  it('once the round is decided, the project reads the thread and nobody adds to it', async () => {
    const votes = { votes: [{ fileId, vote: 'approve' }] };
    const first = await olga.post(`/outputs/${requestId}/reviews`, votes);
    expect(first.status).toBe(200);
    expect((await oscar.post(`/outputs/${requestId}/reviews`, votes)).status).toBe(200);
    const decided = (await alice.get(`/outputs/${requestId}`)).body as { status: string };
    expect(['approved', 'released']).toContain(decided.status);

    const thread = await alice.get(`/outputs/${requestId}/comments`);
    expect(thread.body.private).toBe(false);
    expect(thread.body.comments).toHaveLength(2);
    const late = await olga.post(`/outputs/${requestId}/comments`, { body: 'One more thing.' });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/only while it is in review/);
    expect((await oscar.get(`/outputs/${requestId}/comments`)).body.comments).toHaveLength(2);
    const trail = await ada.get(`/audit?subjectId=${requestId}&action=output.commented`);
    expect(trail.body.items).toHaveLength(2);
    expect(JSON.stringify(trail.body.items)).not.toContain('Row totals');
  });

  it('an unknown request is not found', async () => {
    const res = await olga.get('/outputs/00000000-0000-4000-8000-000000000000/comments');
    expect(res.status).toBe(404);
  });
});
