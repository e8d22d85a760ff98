import { existsSync, mkdtempSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { JobQueue } from '@tre/core';
import { ObjectStore } from '@tre/outputs';
import { approvedProject } from '../support/output-fixtures';
import { callerAs } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { ProjectData } from '../support/trust-fixtures';

/** The worker's `retention.sweep` job (scheduled like every repeating job) deletes by the real clock. */
describe('the retention job in the worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const extractDir = mkdtempSync(join(tmpdir(), 'tre-extracts-'));
  const outputDir = mkdtempSync(join(tmpdir(), 'tre-outputs-'));

  beforeAll(async () => {
    t = await startTestApp({
      EXTRACT_STORE_DIR: extractDir,
      OUTPUT_STORE_DIR: outputDir,
      WORKER_PORT: '0',
      // The approvals start workspaces; revoked, one is torn down at once, and its extract may go after it.
      WORKSPACE_TEARDOWN_GRACE_MINUTES: '0',
    });
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('deletes the extract of a project that ended long ago, audited; a running project keeps its own', async () => {
    const db = t.app.get(DataSource);
    const data = new ProjectData(db, extractDir, new ObjectStore(outputDir));
    const alice = await callerAs(t, 'alice', ['researcher']);
    const ada = await callerAs(t, 'ada', ['admin']);
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    const dac = [await callerAs(t, 'dev', ['dac_member']), await callerAs(t, 'dora', ['dac_member'])];
    const old = await approvedProject(alice, cara, dac, { title: 'Ended long ago' });
    const running = await approvedProject(alice, cara, dac, { title: 'Still running' });
    const oldExtract = await data.extract(old, [500]);
    const runningExtract = await data.extract(running, [700]);
    expect((await ada.post(`/projects/${old}/revoke`, { reason: 'Breach of conditions' })).status).toBe(204);
    await db.query(`UPDATE projects SET ended_at = now() - interval '400 days' WHERE id = $1`, [old]);

    // The files go first, the audit event with the commit: wait for the event. The sweep is asked again
    // every 2 s, as the schedule would, since the workspace may still be coming down at the first.
    let polls = 0;
    const [event] = await eventually(
      async () => {
        if (polls++ % 10 === 0) await t.app.get(JobQueue).enqueue('retention.sweep', {});
        const rows = await db.query(
          `SELECT details FROM audit_events WHERE action = 'retention.extracts_deleted' AND subject_id = $1`,
          [old],
        );
        return rows.length ? (rows as { details: Record<string, unknown> }[]) : undefined;
      },
      30_000,
      'the worker to delete the extract',
    );
    expect(event.details).toMatchObject({ items: 1, files: 1, bytes: 500, retentionDays: 0 });
    expect(existsSync(oldExtract.folder)).toBe(false);
    expect(existsSync(runningExtract.folder)).toBe(true);
  });
});
