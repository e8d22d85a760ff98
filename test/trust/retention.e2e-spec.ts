import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ObjectStore } from '@tre/outputs';
import { RetentionService } from '@tre/trust';
import { approvedProject } from '../support/output-fixtures';
import { callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { ProjectData } from '../support/trust-fixtures';

const DAY = 86_400_000;

/**
 * Retention over real Postgres and real stores: a closed project's extract goes once its workspace is torn
 * down (EXTRACT_RETENTION_DAYS=0), its unreleased outputs OUTPUT_RETENTION_DAYS after it ended, its released
 * bundle RELEASE_RETENTION_DAYS after; exactly those files leave the stores, each deletion is audited with
 * counts and bytes, the register shows the dates, and a legal hold stops all of it. The sweep runs on a clock
 * the test sets (`sweep(now)`), counted from the project's recorded end.
 */
describe('retention', () => {
  let t: TestApp;
  let db: DataSource;
  let data: ProjectData;
  let store: ObjectStore;
  let retention: RetentionService;
  let alice: Caller;
  let ada: Caller;
  let projectId: string;
  let otherProjectId: string;
  let endedAt: Date;
  let extract: { id: string; folder: string; bytes: number };
  let unreleased: { id: string; files: { sha256: string; bytes: number }[] };
  let released: { id: string; files: { sha256: string; bytes: number }[] };
  let bundle: { bundleSha256: string; bytes: number };
  let shared: { files: { sha256: string }[] };
  let workspaceId: string;
  const extractDir = mkdtempSync(join(tmpdir(), 'tre-extracts-'));
  const outputDir = mkdtempSync(join(tmpdir(), 'tre-outputs-'));

  const sweepAt = (days: number) => retention.sweep(new Date(endedAt.getTime() + days * DAY + 1000));
  const auditOf = async (action: string): Promise<{ actor_id: string; details: Record<string, unknown> }[]> =>
    db.query(
      `SELECT actor_id, details FROM audit_events WHERE action = $1 AND subject_id = $2 ORDER BY seq`,
      [action, projectId],
    );
  const entry = async (id = projectId) =>
    ((await request(t.app.getHttpServer()).get('/register')).body.items as { id: string }[]).find(
      (e) => e.id === id,
    ) as unknown as { endedOn: string; dataDeletion: Record<string, unknown> };
  const day = (days: number) => new Date(endedAt.getTime() + days * DAY + 1000).toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startTestApp({
      EXTRACT_STORE_DIR: extractDir,
      OUTPUT_STORE_DIR: outputDir,
      EXTRACT_RETENTION_DAYS: '0',
      OUTPUT_RETENTION_DAYS: '30',
      RELEASE_RETENTION_DAYS: '365',
    });
    db = t.app.get(DataSource);
    store = new ObjectStore(outputDir);
    data = new ProjectData(db, extractDir, store);
    retention = t.app.get(RetentionService);
    alice = await callerAs(t, 'alice', ['researcher']);
    ada = await callerAs(t, 'ada', ['admin']);
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    const dac = [await callerAs(t, 'dev', ['dac_member']), await callerAs(t, 'dora', ['dac_member'])];
    projectId = await approvedProject(alice, cara, dac);
    otherProjectId = await approvedProject(alice, cara, dac, { title: 'Another project' });
    const aliceId = (await alice.get('/me')).body.id as string;

    extract = await data.extract(projectId, [1000, 2345], { national: 12 });
    unreleased = await data.request(projectId, aliceId, 'Draft tables', 'withdrawn', [
      { name: 'draft.csv', content: 'a,b\n1,2\n' },
      { name: 'same-as-other.csv', content: 'identical bytes in two projects\n' },
    ]);
    released = await data.request(projectId, aliceId, 'Admissions by age', 'released', [
      { name: 'table.csv', content: 'age,n\n0-15,40\n', decision: 'approved' },
      { name: 'refused.csv', content: 'age,n\n80+,3\n', decision: 'rejected' },
    ]);
    bundle = await data.release(projectId, released.id, ['table.csv']);
    // The other project, still running, holds the same bytes as one of ours: they must stay.
    shared = await data.request(otherProjectId, aliceId, 'Same bytes', 'draft', [
      { name: 'copy.csv', content: 'identical bytes in two projects\n' },
    ]);
    workspaceId = await data.workspace(projectId, 'deprovisioning');

    expect((await alice.post(`/projects/${projectId}/close`, { reason: 'Work finished' })).status).toBe(204);
    const [row] = await db.query(`SELECT ended_at FROM projects WHERE id = $1`, [projectId]);
    endedAt = row.ended_at as Date;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records when the project ended: the register shows it, and nothing is deleted while it runs', async () => {
    expect(endedAt).toBeInstanceOf(Date);
    expect((await entry()).endedOn).toBe(endedAt.toISOString().slice(0, 10));
    expect((await entry(otherProjectId)).endedOn).toBeNull();
  });

  it('keeps the extract while the workspace is still being torn down, deletes it at teardown', async () => {
    expect(await sweepAt(1)).toEqual([]);
    expect(existsSync(extract.folder)).toBe(true);

    await db.query(`UPDATE workspaces SET state = 'deleted' WHERE id = $1`, [workspaceId]);
    expect(await sweepAt(1)).toEqual([
      { projectId, kind: 'extracts', items: 1, files: 2, bytes: extract.bytes },
    ]);
    expect(existsSync(extract.folder)).toBe(false);
    expect(existsSync(join(extractDir, projectId))).toBe(false);
    expect(await auditOf('retention.extracts_deleted')).toEqual([
      {
        actor_id: 'system:worker',
        details: { items: 1, files: 2, bytes: 3345, retentionDays: 0, endedAt: endedAt.toISOString() },
      },
    ]);
    // Counts stay for the register; a second sweep finds nothing more to do.
    expect(await sweepAt(2)).toEqual([]);
    expect((await entry()).dataDeletion).toMatchObject({
      extractsDeletedOn: day(1),
      unreleasedOutputsDeletedOn: null,
    });
  });

  it('deletes unreleased outputs only when OUTPUT_RETENTION_DAYS have passed, sparing bytes another project holds', async () => {
    expect(await sweepAt(29)).toEqual([]);
    for (const f of [...unreleased.files, ...released.files]) expect(await store.has(f.sha256)).toBe(true);

    const [deletion] = await sweepAt(30);
    const draft = unreleased.files[0];
    const refused = released.files[1];
    expect(deletion).toEqual({
      projectId,
      kind: 'unreleasedOutputs',
      items: 3,
      files: 2,
      bytes: draft.bytes + refused.bytes,
    });
    expect(await store.has(draft.sha256)).toBe(false);
    expect(await store.has(refused.sha256)).toBe(false);
    expect(existsSync(store.pathOf(draft.sha256))).toBe(false);
    // Held by the other project's live request: kept. The released file: kept until its own time.
    expect(await store.has(shared.files[0].sha256)).toBe(true);
    expect(await store.has(released.files[0].sha256)).toBe(true);
    expect(await store.has(bundle.bundleSha256)).toBe(true);
    expect(await auditOf('retention.unreleased_outputs_deleted')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ items: 3, files: 2, retentionDays: 30 }),
      }),
    ]);
    expect((await entry()).dataDeletion).toMatchObject({ unreleasedOutputsDeletedOn: day(30) });
  });

  it('a legal hold stops every deletion until it is lifted; placing and lifting are audited, with a reason', async () => {
    const hold = await ada.post(`/projects/${projectId}/legal-hold`, {
      reason: 'Subject access request pending',
    });
    expect(hold.status).toBe(200);
    expect(hold.body.legalHold).toMatchObject({ reason: 'Subject access request pending' });
    expect((await ada.post(`/projects/${projectId}/legal-hold`, { reason: 'Again' })).status).toBe(409);
    expect((await alice.post(`/projects/${projectId}/legal-hold`, { reason: 'Mine' })).status).toBe(403);
    expect((await ada.post(`/projects/${projectId}/legal-hold`, { reason: '' })).status).toBe(400);
    expect((await entry()).dataDeletion).toMatchObject({ paused: true });

    // However late the clock: nothing of the held project, nor of the other one, which never ended.
    expect(await sweepAt(10_000)).toEqual([]);
    expect(await store.has(shared.files[0].sha256)).toBe(true);
    expect(await store.has(released.files[0].sha256)).toBe(true);
    expect(await store.has(bundle.bundleSha256)).toBe(true);

    const lifted = await ada.post(`/projects/${projectId}/legal-hold/lift`, { reason: 'Request answered' });
    expect(lifted.status).toBe(200);
    expect(lifted.body.legalHold).toBeNull();
    expect((await ada.post(`/projects/${projectId}/legal-hold/lift`, { reason: 'Again' })).status).toBe(409);
    const events = await db.query(
      `SELECT action, details FROM audit_events WHERE subject_id = $1 AND action LIKE 'project.legal_hold%' ORDER BY seq`,
      [projectId],
    );
    expect(events).toEqual([
      {
        action: 'project.legal_hold_placed',
        details: { reason: 'Subject access request pending', status: 'closed' },
      },
      {
        action: 'project.legal_hold_lifted',
        details: expect.objectContaining({ reason: 'Request answered' }),
      },
    ]);
  });

  it('deletes the released bundle RELEASE_RETENTION_DAYS after the end; downloads then say so (409)', async () => {
    expect(await sweepAt(364)).toEqual([]);
    const [deletion] = await sweepAt(365);
    expect(deletion).toEqual({
      projectId,
      kind: 'releasedOutputs',
      items: 1,
      files: 2,
      bytes: released.files[0].bytes + bundle.bytes,
    });
    expect(await store.has(released.files[0].sha256)).toBe(false);
    expect(await store.has(bundle.bundleSha256)).toBe(false);
    expect(await store.has(shared.files[0].sha256)).toBe(true);
    // The release row and its manifest stay: what was released is still on record.
    const [row] = await db.query(
      `SELECT files_deleted_at, manifest FROM output_releases WHERE request_id = $1`,
      [released.id],
    );
    expect(row.manifest.files).toHaveLength(1);
    // A link issued before the deletion (links are refused on an ended project anyway) now says why it fails.
    const token = 'a-link-issued-before-the-deletion';
    await db.query(
      `INSERT INTO output_download_links (release_id, user_id, file_name, sha256, media_type, token_sha256, expires_at)
       SELECT id, $2, 'table.csv', $3, 'text/csv', encode(sha256($4::bytea), 'hex'), now() + interval '5 minutes'
         FROM output_releases WHERE request_id = $1`,
      [released.id, (await alice.get('/me')).body.id, released.files[0].sha256, token],
    );
    const download = await request(t.app.getHttpServer()).get(`/output-downloads/${token}`);
    expect(download.status).toBe(409);
    expect(download.body.message).toMatch(/deleted under the retention policy/);
    expect((await entry()).dataDeletion).toEqual({
      extractsDeletedOn: day(1),
      unreleasedOutputsDeletedOn: day(30),
      releasedOutputsDeletedOn: day(365),
      paused: false,
    });
    const status = await ada.get(`/projects/${projectId}/retention`);
    expect(status.status).toBe(200);
    expect(status.body.kinds.map((k: { deletedAt: string | null }) => k.deletedAt !== null)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('refuses a hold on a project that was never approved, and on one that does not exist', async () => {
    const draft = await alice.post('/projects', (await import('../support/project-fixtures')).application());
    expect((await ada.post(`/projects/${draft.body.id}/legal-hold`, { reason: 'Nothing here' })).status).toBe(
      409,
    );
    expect(
      (await ada.post(`/projects/00000000-0000-4000-8000-000000000000/legal-hold`, { reason: 'Nobody' }))
        .status,
    ).toBe(404);
  });
});
