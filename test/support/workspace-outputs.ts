import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import type { Caller } from './project-fixtures';
import type { TestApp } from './test-app';

/**
 * The project's workspace (of its latest approval): the one the worker requested, if it did, or else one
 * written directly as provisioning leaves it (the worker's part is tested in test/workspaces). Adding by path
 * needs only the row; its outputs folder is WORKSPACE_LOCAL_OUTPUTS_DIR/<id> (no cluster attached).
 */
export async function readyWorkspaceOf(t: TestApp, projectId: string): Promise<string> {
  const db = t.app.get(DataSource);
  const [approval] = await db.query<{ id: string }[]>(
    `SELECT id FROM project_approvals WHERE project_id = $1 ORDER BY approval_version DESC LIMIT 1`,
    [projectId],
  );
  if (!approval) throw new Error(`project ${projectId} has no approval`);
  const id = randomUUID();
  // One workspace per approval: the worker's, when it got there first (its request takes ours the same way).
  await db.query(
    `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state) VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready')
     ON CONFLICT (approval_id) DO NOTHING`,
    [id, projectId, approval.id, `tre-ws-${id.slice(0, 8)}`],
  );
  const [row] = await db.query<{ id: string }[]>(`SELECT id FROM workspaces WHERE approval_id = $1`, [
    approval.id,
  ]);
  return row.id;
}

/** The local folder standing in for the workspace's outputs volume. */
export function outputsFolder(workspaceId: string): string {
  const root = process.env.WORKSPACE_LOCAL_OUTPUTS_DIR;
  if (!root) throw new Error('WORKSPACE_LOCAL_OUTPUTS_DIR is not set (startTestApp sets it)');
  return join(root, workspaceId);
}

/** Writes a file into the workspace's outputs folder, as the researcher's code in the workspace would. */
export function writeOutput(workspaceId: string, path: string, content: Buffer | string): void {
  const target = join(outputsFolder(workspaceId), path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

/**
 * What the multipart upload used to be, the only way there is now: the researcher writes the file (and its
 * record, `<path>.record.json`, when given) in the workspace's outputs folder and adds it by path.
 */
export function addOutput(
  who: Caller,
  requestId: string,
  workspaceId: string,
  path: string,
  content: Buffer | string,
  record?: object | string,
  extra: { context?: string; controls?: string } = {},
): request.Test {
  writeOutput(workspaceId, path, content);
  let recordPath: string | undefined;
  if (record !== undefined) {
    recordPath = `${path}.record.json`;
    writeOutput(workspaceId, recordPath, typeof record === 'string' ? record : JSON.stringify(record));
  }
  return who.post(`/outputs/${requestId}/paths`, { workspaceId, path, recordPath, ...extra });
}
