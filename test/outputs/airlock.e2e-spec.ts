import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';

interface Person extends Caller {
  /** Writes the file (and its record) in the workspace's outputs folder and adds it by path. */
  upload(
    requestId: string,
    fileName: string,
    content: Buffer | string,
    record?: object | string,
  ): request.Test;
  del(path: string): request.Test;
}

interface Flag {
  rule: string;
  outcome: string;
  cell: string | null;
  published: boolean;
}
interface FileBody {
  id: string;
  fileName: string;
  checkState: string;
  check: { status: string; flags: Flag[]; publishedTable: string | null } | null;
  decision: string;
  conflicted: boolean;
  reviews: { vote: string; comment: string }[];
}

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');
const MAX_BYTES = 50_000;

const AGES = ['0-15', '16-64', '65+'];
const SEXES = ['F', 'M'];
/** Admissions by age band and sex: the 65+ men are 4 people, which must not be published. */
const DISCLOSIVE = countRecord('age_band', 'sex', AGES, SEXES, [
  [40, 38],
  [120, 131],
  [15, 4],
]);
const SUPPRESSED = countRecord(
  'age_band',
  'sex',
  AGES,
  SEXES,
  DISCLOSIVE.table.cells.map((r) => r.map((c) => c.records)),
  [[2, 1]],
);

/**
 * The airlock end to end over HTTP, as each role, with the worker's check job on real Redis: refusals of bad
 * files and records, a disclosive table blocked with its cells shown, the suppressed table resubmitted, two
 * blind checkers approving, the release downloaded through one-time links, and a differencing pair caught.
 */
describe('the airlock', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let alice: Person; // researcher, project lead
  let bob: Person; // project member who is also an output checker
  let carol: Person; // researcher on no project
  let olga: Person; // output checker
  let oscar: Person; // output checker
  let ada: Person; // admin
  let projectId: string;
  let workspaceId: string;
  let requestId: string;

  const person = async (subject: string, roles: Role[]): Promise<Person> => {
    const token = await t.env.token(subject, roles);
    const server = () => request(t.app.getHttpServer());
    const self = caller(t.app, subject, token);
    return {
      ...self,
      upload: (id, fileName, content, record) => addOutput(self, id, workspaceId, fileName, content, record),
      del: (path) => server().delete(path).set('Authorization', `Bearer ${token}`),
    };
  };
  const detail = async (id: string, who: Person = alice) => {
    const res = await who.get(`/outputs/${id}`);
    expect(res.status).toBe(200);
    return res.body as {
      status: string;
      round: number;
      blind: boolean;
      conflicted: boolean;
      fileList: FileBody[];
    } & Record<string, unknown>;
  };
  const settled = (id: string, states: string[]) =>
    eventually(
      async () => {
        const body = await detail(id);
        return states.includes(body.status) ? body : undefined;
      },
      20_000,
      `request ${id} to reach ${states.join(' or ')}`,
    );

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      OUTPUT_MAX_FILE_BYTES: String(MAX_BYTES),
      OUTPUT_MAX_FILES: '3',
    });
    worker = await startTestWorker();
    alice = await person('alice', ['researcher']);
    bob = await person('bob', ['researcher', 'output_checker']);
    carol = await person('carol', ['researcher']);
    olga = await person('olga', ['output_checker']);
    oscar = await person('oscar', ['output_checker']);
    ada = await person('ada', ['admin']);
    const cara = await person('cara', ['data_custodian']);
    projectId = await approvedProject(alice, cara, [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    workspaceId = await readyWorkspaceOf(t, projectId);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('a member drafts a request; nobody else can', async () => {
    expect((await carol.post('/outputs', { projectId, title: 'Admissions tables' })).status).toBe(404);
    expect((await olga.post('/outputs', { projectId, title: 'Admissions tables' })).status).toBe(403);
    const created = await alice.post('/outputs', { projectId, title: 'Admissions by age and sex' });
    expect(created.status).toBe(201);
    requestId = created.body.id;
    expect((await carol.get(`/outputs/${requestId}`)).status).toBe(404);
    // A draft is the researcher's own business.
    expect((await olga.get(`/outputs/${requestId}`)).status).toBe(404);
  });

  it('refuses files whose content is not what the name says, bad records and too much, changing nothing', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64)]);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(32),
    ]);
    const cases: [string, Buffer | string, RegExp][] = [
      ['table.csv', elf, /ELF executable/],
      ['figure.png', zip, /ZIP archive/],
      ['table.csv', png, /content is a PNG/],
      ['figure.png', 'age,n\n1,2\n', /not a PNG/],
      ['report.pdf', png, /not a PDF/],
      ['results.json', '{"values": [1, 2', /not valid JSON/],
      ['table.csv', 'a,b\n1\n', /not a rectangular/],
      ['notes.txt', Buffer.from([0x68, 0x69, 0x00, 0x21]), /NUL/],
      ['run.sh', '#!/bin/sh\nexit 0\n', /script/],
      ['model.exe', 'text', /only csv, json, txt, png, pdf/],
    ];
    for (const [name, content, reason] of cases) {
      const res = await alice.upload(requestId, name, content);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.body.message).toMatch(reason);
    }
    const badRecord = await alice.upload(requestId, 'table.csv', tableCsv(DISCLOSIVE), {
      ...DISCLOSIVE,
      table: { ...DISCLOSIVE.table, cells: [] },
    });
    expect(badRecord.status).toBe(400);
    expect(badRecord.body.message).toMatch(/does not follow the disclosure-control record schema/);
    expect((await alice.upload(requestId, 'table.csv', tableCsv(DISCLOSIVE), '{not json')).status).toBe(400);
    const huge = await alice.upload(requestId, 'big.txt', 'x'.repeat(MAX_BYTES + 1));
    expect(huge.status).toBe(400);
    expect(huge.body.message).toMatch(new RegExp(`over the limit of ${MAX_BYTES}`));
    expect((await carol.upload(requestId, 'table.csv', tableCsv(DISCLOSIVE))).status).toBe(404);
    expect((await alice.post(`/outputs/${requestId}/submit`)).status).toBe(409); // no files yet
    const body = await detail(requestId);
    expect(body).toMatchObject({ status: 'draft', files: 0, fileList: [] });
  });

  it('a disclosive table is blocked by the worker, and the researcher is shown which cells and rule', async () => {
    expect((await alice.upload(requestId, 'admissions.csv', tableCsv(DISCLOSIVE), DISCLOSIVE)).status).toBe(
      201,
    );
    expect(
      (await alice.upload(requestId, 'notes.txt', 'Method: counts of admissions, 2020-2024.\n')).status,
    ).toBe(201);
    // Nothing is downloadable or votable yet.
    expect((await alice.post(`/outputs/${requestId}/download-links`)).status).toBe(409);
    const submitted = await alice.post(`/outputs/${requestId}/submit`);
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ round: 1 });
    expect((await alice.post(`/outputs/${requestId}/submit`)).status).toBe(409);

    const blocked = await settled(requestId, ['blocked', 'in_review']);
    expect(blocked.status).toBe('blocked');
    expect(blocked.checkProgress).toEqual({ done: 2, total: 2 });
    const table = blocked.fileList.find((f) => f.fileName === 'admissions.csv')!;
    expect(table.check?.status).toBe('fail');
    expect(table.check?.publishedTable).toBe('match');
    const failing = table.check!.flags.filter((f) => f.outcome === 'fail' && f.published);
    expect(failing.map((f) => [f.rule, f.cell])).toEqual([['threshold', '65+ / M']]);
    const notes = blocked.fileList.find((f) => f.fileName === 'notes.txt')!;
    expect(notes.check?.status).toBe('manual');
    expect((await olga.post(`/outputs/${requestId}/reviews`, { votes: [] })).status).toBe(400);
    expect(
      (
        await olga.post(`/outputs/${requestId}/reviews`, {
          votes: blocked.fileList.map((f) => ({ fileId: f.id, vote: 'approve', comment: 'ok' })),
        })
      ).status,
    ).toBe(409);
  });

  it('a table that does not match its record is blocked too', async () => {
    const wrong = tableCsv(SUPPRESSED).replace('131', '132');
    expect((await alice.upload(requestId, 'admissions.csv', wrong, SUPPRESSED)).status).toBe(201);
    await alice.post(`/outputs/${requestId}/submit`);
    const blocked = await eventually(async () => {
      const body = await detail(requestId);
      return body.round === 2 && body.status === 'blocked' ? body : undefined;
    });
    const table = blocked.fileList.find((f) => f.fileName === 'admissions.csv')!;
    expect(table.check?.publishedTable).toBe('mismatch');
    expect(table.check?.flags).toContainEqual(
      expect.objectContaining({ rule: 'published_table', cell: '16-64 / M', outcome: 'fail' }),
    );
  });

  it('resubmitted suppressed, it passes the checks and goes to review', async () => {
    expect((await alice.upload(requestId, 'admissions.csv', tableCsv(SUPPRESSED), SUPPRESSED)).status).toBe(
      201,
    );
    expect((await alice.post(`/outputs/${requestId}/submit`)).body).toEqual({ round: 3 });
    const review = await settled(requestId, ['blocked', 'in_review']);
    expect(review.status).toBe('in_review');
    const table = review.fileList.find((f) => f.fileName === 'admissions.csv')!;
    expect(table.check?.status).toBe('review');
    expect(table.check?.flags.filter((f) => f.published && f.outcome === 'fail')).toEqual([]);
    expect((await alice.get('/outputs?scope=mine')).body.items.map((r: { id: string }) => r.id)).toEqual([
      requestId,
    ]);
    expect(
      (await olga.get('/outputs?scope=awaiting_review')).body.items.map((r: { id: string }) => r.id),
    ).toEqual([requestId]);
    // bob is on the project: it never awaits his review.
    expect((await bob.get('/outputs?scope=awaiting_review')).body.items).toEqual([]);
  });

  it('only checkers read unreleased files', async () => {
    const { fileList } = await detail(requestId);
    const file = fileList.find((f) => f.fileName === 'admissions.csv')!;
    const read = await olga.get(`/outputs/${requestId}/files/${file.id}/content`);
    expect(read.status).toBe(200);
    expect(read.headers['x-content-sha256']).toBe(sha256(Buffer.from(tableCsv(SUPPRESSED))));
    expect((await alice.get(`/outputs/${requestId}/files/${file.id}/content`)).status).toBe(403);
    expect((await bob.get(`/outputs/${requestId}/files/${file.id}/content`)).status).toBe(403);
    expect((await ada.get(`/outputs/${requestId}/files/${file.id}/content`)).status).toBe(403);
  });

  it('two checkers vote blind; separation of duties, comments and double votes are enforced', async () => {
    const { fileList } = await detail(requestId);
    const approveAll = (comment?: string) => ({
      votes: fileList.map((f) => ({ fileId: f.id, vote: 'approve', ...(comment ? { comment } : {}) })),
    });
    const own = await bob.post(`/outputs/${requestId}/reviews`, approveAll('mine'));
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('separation_of_duties');
    const noComment = await olga.post(`/outputs/${requestId}/reviews`, approveAll());
    expect(noComment.status).toBe(400);
    expect(noComment.body.message).toMatch(/comment is required/);
    const partial = await olga.post(`/outputs/${requestId}/reviews`, {
      votes: [{ fileId: fileList[0].id, vote: 'approve', comment: 'fine' }],
    });
    expect(partial.status).toBe(400);
    expect(
      (await olga.post(`/outputs/${requestId}/reviews`, approveAll('Suppression holds; notes are safe.')))
        .body,
    ).toEqual({
      outcome: 'pending',
      status: 'in_review',
      reviews: 1,
      reviewsRequired: 2,
      conflictedFiles: [],
    });
    expect((await olga.post(`/outputs/${requestId}/reviews`, approveAll('again'))).status).toBe(409);
    // Nothing to settle: a review is revised only while the checkers disagree.
    const early = await olga.put(`/outputs/${requestId}/reviews/mine`, approveAll('second thoughts'));
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/only while the checkers disagree/);
    // Blind: the researcher and the other checker see no votes; olga sees her own.
    expect((await detail(requestId)).fileList.flatMap((f) => f.reviews)).toEqual([]);
    expect((await detail(requestId, oscar)).fileList.flatMap((f) => f.reviews)).toEqual([]);
    expect((await detail(requestId, olga)).fileList.flatMap((f) => f.reviews)).toHaveLength(2);

    const second = await oscar.post(`/outputs/${requestId}/reviews`, approveAll('Agreed.'));
    expect(second.body).toMatchObject({ outcome: 'approve', status: 'released', reviews: 2 });
    const released = await detail(requestId);
    expect(released.fileList.map((f) => f.decision)).toEqual(['approved', 'approved']);
    expect(released.fileList.flatMap((f) => f.reviews)).toHaveLength(4);
    expect((await olga.post(`/outputs/${requestId}/reviews`, approveAll('late'))).status).toBe(409);
  });

  it('members download the bundle through one-time links; the register counts the release', async () => {
    expect((await olga.post(`/outputs/${requestId}/download-links`)).status).toBe(403);
    expect((await carol.post(`/outputs/${requestId}/download-links`)).status).toBe(404);
    const issued = await bob.post(`/outputs/${requestId}/download-links`);
    expect(issued.status).toBe(201);
    const links = issued.body.links as { fileName: string; sha256: string; url: string }[];
    expect(links.map((l) => l.fileName)).toEqual(['admissions.csv', 'notes.txt', 'manifest.json']);
    const server = request(t.app.getHttpServer());
    const got = new Map<string, Buffer>();
    for (const link of links) {
      const res = await server
        .get(link.url)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(sha256(res.body as Buffer)).toBe(link.sha256);
      got.set(link.fileName, res.body as Buffer);
    }
    expect((await server.get(links[0].url)).status).toBe(403); // used once already
    expect((await server.get('/output-downloads/not-a-token')).status).toBe(404);
    expect(got.get('admissions.csv')!.toString()).toBe(tableCsv(SUPPRESSED));
    const manifest = JSON.parse(got.get('manifest.json')!.toString());
    expect(sha256(got.get('manifest.json')!)).toBe(issued.body.bundleSha256);
    expect(manifest).toMatchObject({
      schema: 'tre-output-release',
      requestId,
      projectId,
      rules: { name: 'tre-default', version: '1.0.0' },
    });
    expect(manifest.version).toBe('1.2.0');
    for (const file of manifest.files as {
      fileName: string;
      sha256: string;
      reviews: unknown[];
      provenance: Record<string, unknown>;
    }[]) {
      expect(sha256(got.get(file.fileName)!)).toBe(file.sha256);
      expect(file.reviews).toHaveLength(2);
      // Each file names where it left the workspace: the bytes as collected from its outputs folder.
      expect(file.provenance).toMatchObject({
        source: 'workspace-outputs',
        workspaceId,
        runner: 'local-process',
        path: file.fileName,
        sha256: file.sha256,
        collectedAt: expect.any(String),
      });
    }
    const table = (manifest.files as { fileName: string; provenance: Record<string, unknown> }[]).find(
      (f) => f.fileName === 'admissions.csv',
    )!;
    expect(table.provenance.recordPath).toBe('admissions.csv.record.json');
    const register = await server.get('/register');
    expect(register.body.items[0].outputsReleased).toBe(2);
    // A member whose accreditation has lapsed gets nothing more out.
    await t.app
      .get(DataSource)
      .query(`UPDATE project_members SET accreditation_expires_on = current_date - 1 WHERE subject = 'bob'`);
    const lapsed = await bob.post(`/outputs/${requestId}/download-links`);
    expect(lapsed.status).toBe(403);
    expect(lapsed.body.message).toMatch(/accreditation on this project lapsed/);
  });

  it('a table that differs from a released one by a few people is caught', async () => {
    // 3 more women aged 65+ than in the released table: subtracting reveals a group of 3.
    const counts = SUPPRESSED.table.cells.map((r) => r.map((c) => c.records));
    counts[2][0] += 3;
    const nearly = countRecord('age_band', 'sex', AGES, SEXES, counts, [[2, 1]]);
    const created = await alice.post('/outputs', { projectId, title: 'Admissions, one more month' });
    const id = created.body.id as string;
    expect((await alice.upload(id, 'admissions-v2.csv', tableCsv(nearly), nearly)).status).toBe(201);
    await alice.post(`/outputs/${id}/submit`);
    const blocked = await settled(id, ['blocked', 'in_review']);
    expect(blocked.status).toBe('blocked');
    const flags = blocked.fileList[0].check!.flags.filter((f) => f.rule === 'differencing');
    expect(flags.map((f) => f.cell)).toEqual(['65+ / F']);
    expect((await alice.post(`/outputs/${id}/withdraw`, { reason: 'Superseded' })).status).toBe(204);
    expect((await alice.post(`/outputs/${id}/withdraw`, { reason: 'Again' })).status).toBe(409);
    expect((await alice.upload(id, 'admissions-v3.csv', tableCsv(nearly), nearly)).status).toBe(409);
  });

  it('checkers who disagree hold the request as conflicted until a revision settles it', async () => {
    const otto = await person('otto', ['output_checker']);
    const created = await alice.post('/outputs', { projectId, title: 'Method note' });
    const id = created.body.id as string;
    await alice.upload(id, 'method.txt', 'We used logistic regression.\n');
    await alice.post(`/outputs/${id}/submit`);
    const review = await settled(id, ['blocked', 'in_review']);
    const fileId = review.fileList[0].id;
    const vote = (v: string, comment: string) => ({ votes: [{ fileId, vote: v, comment }] });
    await olga.post(`/outputs/${id}/reviews`, vote('approve', 'Safe.'));
    const second = await oscar.post(`/outputs/${id}/reviews`, vote('request_changes', 'Say which years.'));
    expect(second.body).toEqual({
      outcome: 'conflicted',
      status: 'in_review',
      reviews: 2,
      reviewsRequired: 2,
      conflictedFiles: ['method.txt'],
    });
    // Held: nothing decided, nothing released; the researcher sees it still in review, and neither the votes
    // nor the conflict (that the checkers disagree says how they voted) until the decision.
    const held = await detail(id);
    expect(held).toMatchObject({ status: 'in_review', conflicted: false, blind: true, decidedAt: null });
    expect(held.fileList[0]).toMatchObject({ decision: 'pending', conflicted: false, reviews: [] });
    expect((await alice.post(`/outputs/${id}/download-links`)).status).toBe(409);
    expect((await alice.del(`/outputs/${id}/files/${fileId}`)).status).toBe(409);
    // The checkers now see each other's votes and comments, and it awaits them again.
    const seen = await detail(id, olga);
    expect(seen).toMatchObject({ blind: false, conflicted: true });
    expect(seen.fileList[0].reviews.map((r) => r.comment).sort()).toEqual(['Safe.', 'Say which years.']);
    expect(
      (await olga.get('/outputs?scope=awaiting_review')).body.items.map((r: { id: string }) => r.id),
    ).toContain(id);

    // Only a checker of this round revises; the others are refused and nothing changes.
    const stranger = await otto.put(`/outputs/${id}/reviews/mine`, vote('approve', 'Fine by me.'));
    expect(stranger.status).toBe(409);
    expect(stranger.body.message).toMatch(/nothing of yours to revise/);
    const member = await bob.put(`/outputs/${id}/reviews/mine`, vote('approve', 'Mine.'));
    expect(member.status).toBe(403);
    expect(member.body.code).toBe('separation_of_duties');
    expect((await alice.put(`/outputs/${id}/reviews/mine`, vote('approve', 'Me.'))).status).toBe(403);
    expect((await olga.put(`/outputs/${id}/reviews/mine`, vote('approve', ''))).status).toBe(400);

    // An additional independent checker may add a review, but a majority does not overrule a checker.
    const third = await otto.post(`/outputs/${id}/reviews`, vote('request_changes', 'Years, please.'));
    expect(third.body).toMatchObject({ outcome: 'conflicted', status: 'in_review', reviews: 3 });

    // olga comes round: every vote agrees, so the request is returned with the comments.
    const revised = await olga.put(`/outputs/${id}/reviews/mine`, vote('request_changes', 'Agreed: years.'));
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ outcome: 'return', status: 'returned', conflictedFiles: [] });
    const returned = await detail(id);
    expect(returned).toMatchObject({ status: 'returned', conflicted: true, blind: false });
    expect(returned.fileList[0]).toMatchObject({ decision: 'changes_requested', conflicted: true });
    expect(returned.fileList[0].reviews.map((r) => `${r.vote}: ${r.comment}`).sort()).toEqual([
      'request_changes: Agreed: years.',
      'request_changes: Say which years.',
      'request_changes: Years, please.',
    ]);
    expect((await oscar.put(`/outputs/${id}/reviews/mine`, vote('approve', 'Now fine.'))).status).toBe(409);

    const audit = await ada.get(`/audit?subjectId=${id}&pageSize=200`);
    const events = (audit.body.items as { seq: number; action: string; details: Record<string, unknown> }[])
      .sort((a, b) => a.seq - b.seq)
      .filter((e) => /^output\.(review|returned)/.test(e.action));
    expect(events.map((e) => e.action)).toEqual([
      'output.reviewed',
      'output.reviewed',
      'output.review_conflicted',
      'output.reviewed',
      'output.review_conflicted',
      'output.review_revised',
      'output.returned',
    ]);
    expect(events[5].details).toMatchObject({
      round: 1,
      changes: [{ fileId, from: 'approve', to: 'request_changes' }],
    });
    expect((await alice.del(`/outputs/${id}/files/${fileId}`)).status).toBe(204);
  });

  it('every transition is audited and the chain verifies', async () => {
    const audit = await ada.get(`/audit?subjectId=${requestId}&pageSize=200`);
    const actions = (audit.body.items as { seq: number; action: string }[])
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.action);
    expect(
      actions.filter((a) =>
        /^output\.(submitted|check_started|blocked|checks_passed|approved|released)$/.test(a),
      ),
    ).toEqual([
      'output.submitted',
      'output.check_started',
      'output.blocked',
      'output.submitted',
      'output.check_started',
      'output.blocked',
      'output.submitted',
      'output.check_started',
      'output.checks_passed',
      'output.approved',
      'output.released',
    ]);
    expect(actions.filter((a) => a === 'output.downloaded')).toHaveLength(3);
    expect(actions.filter((a) => a === 'output.reviewed')).toHaveLength(2);
    // Every review records the rule set in force by name, version and SHA-256.
    const reviewed = (audit.body.items as { action: string; details: Record<string, unknown> }[]).filter(
      (e) => e.action === 'output.reviewed',
    );
    for (const event of reviewed)
      expect(event.details).toMatchObject({
        rules: 'tre-default 1.0.0',
        rulesSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    expect((await ada.get('/audit/verify')).body.valid).toBe(true);
  });
});
