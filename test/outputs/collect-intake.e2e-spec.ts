import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import { CollectGrantsService, type CollectItem } from '@tre/outputs';
import { runWorkspaceCollect } from '../../apps/cli/src/commands/workspace-collect.command';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
const WORKSPACE = '00000000-0000-4000-8000-00000000c011';
const RECORD = countRecord(
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
 * The intake end to end: a grant (issued here as the worker's collection step issues it) lets the collector,
 * run as `tre workspace collect` runs it, send the named files of an outputs folder into a request, stored
 * content-addressed with their provenance; every bad path ends as that file's reason; the token works once,
 * for its request only, and no person's token opens the intake.
 */
describe('collecting outputs into a request', () => {
  let t: TestApp;
  let apiUrl: string;
  let outputs: string;
  let alice: Caller;
  let aliceToken: string;
  let projectId: string;
  let requestId: string;
  let otherRequestId: string;

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const item = (path: string, recordPath: string | null = null): CollectItem => ({
    path,
    recordPath,
    context: `what ${path} is`,
    controls: 'small cells suppressed',
  });
  const grant = (forRequest: string, items: CollectItem[], ttlSeconds = 300) =>
    t.app.get(CollectGrantsService).issue(
      {
        requestId: forRequest,
        projectId,
        requestedBy: 'alice',
        items,
        origin: {
          workspaceId: WORKSPACE,
          namespace: null,
          claimUid: null,
          jobUid: null,
          image: null,
          runner: 'local-process',
        },
      },
      ttlSeconds,
    );
  const collect = (token: string, forRequest = requestId) =>
    runWorkspaceCollect(
      {
        TRE_API_URL: apiUrl,
        TRE_OUTPUT_REQUEST_ID: forRequest,
        TRE_OUTPUTS_DIR: outputs,
        TRE_COLLECT_TOKEN: token,
      },
      () => undefined,
      { attempts: 1 },
    );

  beforeAll(async () => {
    t = await startTestApp({
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-intake-store-')),
      OUTPUT_MAX_FILE_BYTES: '2000',
    });
    await t.app.listen(0, '127.0.0.1');
    apiUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    outputs = mkdtempSync(join(tmpdir(), 'tre-intake-outputs-'));
    mkdirSync(join(outputs, 'tables'));
    writeFileSync(join(outputs, 'tables', 'admissions.csv'), tableCsv(RECORD));
    writeFileSync(join(outputs, 'tables', 'admissions.csv.record.json'), JSON.stringify(RECORD));
    writeFileSync(join(outputs, 'notes.txt'), 'Method: counts of admissions.\n');
    writeFileSync(join(outputs, 'big.txt'), 'x'.repeat(2001));
    writeFileSync(
      join(outputs, 'tool.csv'),
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(32)]),
    );
    symlinkSync('/etc/passwd', join(outputs, 'passwd.txt'));
    aliceToken = await t.env.token('alice', ['researcher']);
    alice = caller(t.app, 'alice', aliceToken);
    projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    requestId = (await alice.post('/outputs', { projectId, title: 'Collected' })).body.id as string;
    otherRequestId = (await alice.post('/outputs', { projectId, title: 'Other' })).body.id as string;
  });
  afterAll(async () => {
    rmSync(outputs, { recursive: true, force: true });
    await t?.close();
  });

  it('stores each collected file content-addressed with its provenance; each bad path ends with its reason', async () => {
    const { token } = await grant(requestId, [
      item('tables/admissions.csv', 'tables/admissions.csv.record.json'),
      item('notes.txt'),
      item('passwd.txt'),
      item('../secret.txt'),
      item('big.txt'),
      item('tool.csv'),
      item('tables'),
      item('vanished.txt'),
    ]);
    const results = await collect(token);
    expect(results.map((r) => (r.status === 'stored' ? 'stored' : r.reason))).toEqual([
      'stored',
      'stored',
      'it is a symbolic link, not a regular file',
      'the path leaves the outputs folder (..)',
      'it is 2001 bytes, over the limit of 2000',
      'tool.csv is an ELF executable: executables and archives cannot leave',
      'it is a directory, not a regular file',
      'the file does not exist (moved or deleted?)',
    ]);
    const detail = (await alice.get(`/outputs/${requestId}`)).body as {
      fileList: { fileName: string; sha256: string; hasRecord: boolean }[];
    };
    expect(detail.fileList.map((f) => [f.fileName, f.sha256, f.hasRecord])).toEqual([
      ['notes.txt', sha256('Method: counts of admissions.\n'), false],
      ['tables/admissions.csv', sha256(tableCsv(RECORD)), true],
    ]);
    const [row] = await t.app
      .get(DataSource)
      .query(
        `SELECT provenance, context, controls FROM output_files WHERE file_name = 'tables/admissions.csv'`,
      );
    expect(row).toMatchObject({
      context: 'what tables/admissions.csv is',
      controls: 'small cells suppressed',
      provenance: {
        source: 'workspace-outputs',
        workspaceId: WORKSPACE,
        runner: 'local-process',
        path: 'tables/admissions.csv',
        sha256: sha256(tableCsv(RECORD)),
        recordPath: 'tables/admissions.csv.record.json',
        recordSha256: sha256(JSON.stringify(RECORD)),
      },
    });
    // Spent: the same token opens nothing any more.
    await expect(collect(token)).rejects.toThrow(/HTTP 401.*\(spent\)/);
  });

  it('refuses a token for another request, an expired one, and every person’s token', async () => {
    const { token } = await grant(otherRequestId, [item('notes.txt')]);
    await expect(collect(token, requestId)).rejects.toThrow(/\(out of scope\)/);
    const short = await grant(otherRequestId, [item('notes.txt')], 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(collect(short.token, otherRequestId)).rejects.toThrow(/\(expired\)/);
    const server = request(t.app.getHttpServer());
    const admin = await t.env.token('ada', ['admin']);
    for (const bearer of [aliceToken, admin]) {
      const res = await server
        .put(`/output-intake/${requestId}/items/0/file`)
        .set('Authorization', `Bearer ${bearer}`)
        .set('Content-Type', 'application/octet-stream')
        .set('X-Content-SHA256', sha256('a,b\n1,2\n'))
        .send(Buffer.from('a,b\n1,2\n'));
      expect(res.status).toBe(401);
    }
  });

  it('refuses bytes that are not the ones the collector read, and records why', async () => {
    const { token } = await grant(requestId, [item('notes.txt')]);
    const server = request(t.app.getHttpServer());
    const res = await server
      .put(`/output-intake/${requestId}/items/0/file`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-Content-SHA256', sha256('something else'))
      .send(Buffer.from('Method: counts of admissions.\n'));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/arrived as sha256 .*not the/);
    const done = await server
      .post(`/output-intake/${requestId}/completion`)
      .set('Authorization', `Bearer ${token}`);
    expect(done.status).toBe(200);
    expect(done.body).toEqual([{ status: 'failed', reason: expect.stringMatching(/arrived as sha256/) }]);
  });
});
