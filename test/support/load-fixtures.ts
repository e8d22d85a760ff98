import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { seedDatasets } from '@tre/datasets';
import { LoadGrantsService, type LoadScope } from '@tre/workspaces';
import { application, callerAs } from './project-fixtures';
import type { TestApp } from './test-app';

/**
 * A project (a draft is enough: grants reference the row, not its state) and an extract row in the given
 * state, for tests of the load-token routes that need no real files.
 */
export async function projectWithExtractRow(
  t: TestApp,
  status: 'pending' | 'running' | 'ready' | 'failed',
): Promise<{ projectId: string; extractId: string }> {
  const cara = await callerAs(t, 'cara', ['data_custodian']);
  for (const dataset of seedDatasets()) await cara.post('/datasets', dataset);
  const alice = await callerAs(t, 'alice', ['researcher']);
  const created = await alice.post('/projects', application({ members: [] }));
  if (created.status !== 201) throw new Error(`project not created: ${JSON.stringify(created.body)}`);
  const projectId = created.body.id as string;
  const [row] = await t.app
    .get(DataSource)
    .query<{ id: string }[]>(
      `INSERT INTO extracts (project_id, approval_id, status, key_version) VALUES ($1, $2, $3, 1) RETURNING id`,
      [projectId, randomUUID(), status],
    );
  return { projectId, extractId: row.id };
}

/** Tokens for one extract in every state the loader's routes must refuse, and one they must accept. */
export async function loadTokensFor(t: TestApp, projectId: string, extractId: string) {
  const grants = t.app.get(LoadGrantsService);
  const db = t.app.get(DataSource);
  const scope = (): LoadScope => ({ workspaceId: randomUUID(), projectId, extractId });
  const issue = async () => {
    const s = scope();
    return { scope: s, token: (await grants.issue(s, 600)).token };
  };
  const valid = await issue();
  const expired = await issue();
  await db.query(
    `UPDATE workspace_load_grants SET expires_at = now() - interval '1 minute' WHERE workspace_id = $1`,
    [expired.scope.workspaceId],
  );
  const revoked = await issue();
  await grants.revoke(revoked.scope.workspaceId);
  const superseded = await issue();
  await grants.issue(superseded.scope, 600);
  const completed = await issue();
  await db.query(
    `UPDATE workspace_load_grants SET completed_at = now(), files_verified = 0, bytes = 0 WHERE workspace_id = $1`,
    [completed.scope.workspaceId],
  );
  const otherWorkspace = await issue();
  return { valid, expired, revoked, superseded, completed, otherWorkspace };
}
