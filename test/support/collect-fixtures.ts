import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CollectGrantsService } from '@tre/outputs';
import type { TestApp } from './test-app';

/**
 * Collect tokens in every state the intake's routes must refuse, and one they must accept, each for its own
 * draft output request (rows only: grants reference the request, not its files).
 */
export async function collectTokensFor(t: TestApp, projectId: string) {
  const db = t.app.get(DataSource);
  const grants = t.app.get(CollectGrantsService);
  const newRequest = async (): Promise<string> => {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO output_requests (project_id, author_id, title, status) VALUES ($1, $2, 'route access', 'draft') RETURNING id`,
      [projectId, randomUUID()],
    );
    return row.id;
  };
  const issue = async (requestId?: string) => {
    const id = requestId ?? (await newRequest());
    const { token } = await grants.issue(
      {
        requestId: id,
        projectId,
        requestedBy: 'alice',
        items: [{ path: 'notes.txt', recordPath: null, context: null, controls: null }],
        origin: {
          workspaceId: randomUUID(),
          namespace: null,
          claimUid: null,
          jobUid: null,
          image: null,
          runner: 'local-process',
        },
      },
      600,
    );
    return { requestId: id, token };
  };
  const valid = await issue();
  const expired = await issue();
  await db.query(
    `UPDATE output_collect_grants SET expires_at = now() - interval '1 minute' WHERE request_id = $1`,
    [expired.requestId],
  );
  const revoked = await issue();
  await grants.revoke(revoked.requestId);
  const superseded = await issue();
  await issue(superseded.requestId);
  const spent = await issue();
  await db.query(`UPDATE output_collect_grants SET spent_at = now() WHERE request_id = $1`, [
    spent.requestId,
  ]);
  const otherRequest = await issue();
  return { valid, expired, revoked, superseded, spent, otherRequest };
}
