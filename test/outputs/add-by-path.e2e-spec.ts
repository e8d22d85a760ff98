import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
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
 * A member lists their workspace's outputs folder and adds a file from it by path. With no cluster attached
 * the collector runs as a local process over WORKSPACE_LOCAL_OUTPUTS_DIR/<workspace id>, under a one-time
 * grant, through the intake: the file is stored with its provenance, each bad path is a 400 with its reason,
 * and the grant is dead afterwards whatever the outcome.
 */
describe('adding outputs by path from the workspace (no cluster attached)', () => {
  let t: TestApp;
  let localOutputs: string;
  let alice: Caller;
  let zed: Caller;
  let projectId: string;
  let workspaceId: string;
  let requestId: string;

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));

  /** The workspace row as provisioning leaves it (the worker's part is tested in test/workspaces). */
  const workspaceOf = async (project: string): Promise<string> => {
    const id = randomUUID();
    const db = t.app.get(DataSource);
    const [approval] = await db.query<{ id: string }[]>(
      `SELECT id FROM project_approvals WHERE project_id = $1`,
      [project],
    );
    await db.query(
      `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state) VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready')`,
      [id, project, approval.id, `tre-ws-${id.slice(0, 8)}`],
    );
    return id;
  };

  beforeAll(async () => {
    localOutputs = mkdtempSync(join(tmpdir(), 'tre-local-outputs-'));
    t = await startTestApp({
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bypath-store-')),
      OUTPUT_MAX_FILE_BYTES: '2000',
      WORKSPACE_LOCAL_OUTPUTS_DIR: localOutputs,
    });
    alice = await person('alice', ['researcher']);
    zed = await person('zed', ['researcher']);
    projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    workspaceId = await workspaceOf(projectId);
    const folder = join(localOutputs, workspaceId);
    mkdirSync(join(folder, 'tables'), { recursive: true });
    writeFileSync(join(folder, 'tables', 'admissions.csv'), tableCsv(RECORD));
    writeFileSync(join(folder, 'tables', 'admissions.csv.record.json'), JSON.stringify(RECORD));
    writeFileSync(join(folder, 'notes.txt'), 'Method: counts of admissions.\n');
    writeFileSync(join(folder, 'big.txt'), 'x'.repeat(2001));
    symlinkSync('/etc/passwd', join(folder, 'passwd.txt'));
    requestId = (await alice.post('/outputs', { projectId, title: 'By path' })).body.id as string;
  });
  afterAll(async () => {
    rmSync(localOutputs, { recursive: true, force: true });
    await t?.close();
  });

  it('lists the outputs folder with each file’s record, to members only', async () => {
    const listing = await alice.get(`/workspaces/${workspaceId}/outputs`);
    expect(listing.status).toBe(200);
    expect(listing.body.runner).toBe('local-process');
    expect(listing.body.note).toMatch(/no cluster attached/);
    expect(
      (listing.body.files as { path: string; sizeBytes: number; recordPath: string | null }[]).map((f) => [
        f.path,
        f.sizeBytes,
        f.recordPath,
      ]),
    ).toEqual([
      ['big.txt', 2001, null],
      ['notes.txt', 30, null],
      ['tables/admissions.csv', tableCsv(RECORD).length, 'tables/admissions.csv.record.json'],
      ['tables/admissions.csv.record.json', JSON.stringify(RECORD).length, null],
    ]);
    expect(listing.body.skipped).toEqual([{ path: 'passwd.txt', reason: 'a symbolic link' }]);
    expect((await zed.get(`/workspaces/${workspaceId}/outputs`)).status).toBe(404);

    // A listing started with no cluster attached is made at once by a local process and recorded settled,
    // so a client follows the same shape in both modes.
    const started = await alice.post(`/workspaces/${workspaceId}/outputs/listings`, {});
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ runner: 'local-process', started: true });
    const made = started.body.listing as {
      id: string;
      state: string;
      files: unknown;
      steps: { name: string }[];
    };
    expect(made).toMatchObject({
      state: 'succeeded',
      files: listing.body.files,
      skipped: listing.body.skipped,
    });
    expect(made.steps.map((s) => s.name)).toEqual(['local-process']);
    const again = await alice.get(`/workspaces/${workspaceId}/outputs/listings/${made.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: made.id, settled: true });
    expect((await zed.post(`/workspaces/${workspaceId}/outputs/listings`, {})).status).toBe(404);
    expect((await zed.get(`/workspaces/${workspaceId}/outputs/listings/${made.id}`)).status).toBe(404);
  });

  it('adds a file and its record by path, with provenance, context and controls', async () => {
    const added = await alice.post(`/outputs/${requestId}/paths`, {
      workspaceId,
      path: 'tables/admissions.csv',
      recordPath: 'tables/admissions.csv.record.json',
      context: 'admissions by age band and sex',
      controls: 'no cell under 10',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      runner: 'local-process',
      note: expect.stringMatching(/no cluster attached/),
      path: 'tables/admissions.csv',
      sha256: sha256(tableCsv(RECORD)),
    });
    const [row] = await t.app
      .get(DataSource)
      .query(
        `SELECT provenance, context, controls, record IS NOT NULL AS has_record FROM output_files WHERE id = $1`,
        [added.body.fileId],
      );
    expect(row).toMatchObject({
      context: 'admissions by age band and sex',
      controls: 'no cell under 10',
      has_record: true,
      provenance: {
        source: 'workspace-outputs',
        workspaceId,
        runner: 'local-process',
        path: 'tables/admissions.csv',
      },
    });
    const grants = await t.app
      .get(DataSource)
      .query(
        `SELECT requested_by FROM output_collect_grants WHERE request_id = $1 AND revoked_at IS NULL AND spent_at IS NULL`,
        [requestId],
      );
    expect(grants).toEqual([]);
  });

  it('answers each bad path with its reason and stores nothing of it', async () => {
    const cases: [string, RegExp][] = [
      ['passwd.txt', /symbolic link/],
      ['../secret.txt', /leaves the outputs folder/],
      ['/etc/passwd', /absolute|leaves the outputs folder/],
      ['big.txt', /over the limit of 2000/],
      ['tables', /a directory/],
      ['vanished.txt', /does not exist/],
    ];
    for (const [path, reason] of cases) {
      const res = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.message).toMatch(reason);
    }
    const detail = (await alice.get(`/outputs/${requestId}`)).body as { fileList: { fileName: string }[] };
    expect(detail.fileList.map((f) => f.fileName)).toEqual(['tables/admissions.csv']);
    const live = await t.app
      .get(DataSource)
      .query(
        `SELECT id FROM output_collect_grants WHERE request_id = $1 AND revoked_at IS NULL AND spent_at IS NULL`,
        [requestId],
      );
    expect(live).toEqual([]);
  });

  it('refuses a non-member, another project’s workspace and a bad body', async () => {
    expect((await zed.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'notes.txt' })).status).toBe(
      404,
    );
    const missing = await alice.post(`/outputs/${requestId}/paths`, { workspaceId });
    expect(missing.status).toBe(400);
    const stranger = await alice.post(`/outputs/${requestId}/paths`, {
      workspaceId: '00000000-0000-4000-8000-0000000000ff',
      path: 'notes.txt',
    });
    expect(stranger.status).toBe(404);
    // Alice's other project's workspace: she sees it, but its files cannot go into this project's request.
    const other = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    const otherWorkspace = await workspaceOf(other);
    mkdirSync(join(localOutputs, otherWorkspace));
    writeFileSync(join(localOutputs, otherWorkspace, 'notes.txt'), 'other project\n');
    const crossed = await alice.post(`/outputs/${requestId}/paths`, {
      workspaceId: otherWorkspace,
      path: 'notes.txt',
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.message).toMatch(/not this request's project's workspace/);
  });
});
