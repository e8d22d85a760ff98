import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { type ObjectStore } from '@tre/outputs';

/**
 * Data a project leaves behind, written straight into the tables and stores (as the extract builder and the
 * airlock would), so retention and the register can be tested at any age without running the whole life.
 */
export class ProjectData {
  constructor(
    private readonly db: DataSource,
    private readonly extractStoreDir: string,
    private readonly store: ObjectStore,
  ) {}

  /** A ready extract of the project's approval, with files of these sizes in the store and these opt-out counts. */
  async extract(
    projectId: string,
    fileBytes: number[],
    optedOutPeople: Record<string, number> = {},
  ): Promise<{ id: string; folder: string; bytes: number }> {
    const [{ id: approvalId }] = await this.db.query(
      `SELECT id FROM project_approvals WHERE project_id = $1 ORDER BY approval_version DESC LIMIT 1`,
      [projectId],
    );
    const id = randomUUID();
    const folder = join(this.extractStoreDir, projectId, id);
    mkdirSync(folder, { recursive: true });
    fileBytes.forEach((n, i) => writeFileSync(join(folder, `D${i}.csv`), Buffer.alloc(n, 0x61)));
    const manifest = { extractId: id, createdAt: new Date().toISOString(), optedOutPeople };
    await this.db.query(
      `INSERT INTO extracts (id, project_id, approval_id, status, key_version, manifest)
       VALUES ($1, $2, $3, 'ready', 1, $4)`,
      [id, projectId, approvalId, JSON.stringify(manifest)],
    );
    return { id, folder, bytes: fileBytes.reduce((a, b) => a + b, 0) };
  }

  /** An output request in `status` holding these files (stored by content), each with its decision. */
  async request(
    projectId: string,
    authorId: string,
    title: string,
    status: string,
    files: { name: string; content: string; decision?: string }[],
  ): Promise<{ id: string; files: { id: string; sha256: string; bytes: number }[] }> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO output_requests (id, project_id, author_id, title, status, round) VALUES ($1, $2, $3, $4, $5, 1)`,
      [id, projectId, authorId, title, status],
    );
    const stored: { id: string; sha256: string; bytes: number }[] = [];
    for (const file of files) {
      const content = Buffer.from(file.content);
      const sha256 = await this.store.put(content);
      const [{ id: fileId }] = await this.db.query(
        `INSERT INTO output_files (request_id, file_name, media_type, size_bytes, sha256, decision, check_state)
         VALUES ($1, $2, 'text/csv', $3, $4, $5, 'done') RETURNING id`,
        [id, file.name, content.length, sha256, file.decision ?? 'pending'],
      );
      stored.push({ id: fileId, sha256, bytes: content.length });
    }
    return { id, files: stored };
  }

  /** Releases a request: its approved files and a manifest in the store, as the airlock does. */
  async release(
    projectId: string,
    requestId: string,
    fileNames: string[],
  ): Promise<{ bundleSha256: string; bytes: number }> {
    const manifest = Buffer.from(JSON.stringify({ requestId, files: fileNames, at: randomUUID() }));
    const bundleSha256 = await this.store.put(manifest);
    await this.db.query(
      `INSERT INTO output_releases (request_id, project_id, bundle_sha256, manifest) VALUES ($1, $2, $3, $4)`,
      [
        requestId,
        projectId,
        bundleSha256,
        JSON.stringify({ files: fileNames.map((fileName) => ({ fileName })) }),
      ],
    );
    return { bundleSha256, bytes: manifest.length };
  }

  /** A workspace of the project in `state` (retention waits for `deleted` before extracts go). */
  async workspace(projectId: string, state: string): Promise<string> {
    const [{ id: approvalId }] = await this.db.query(
      `SELECT id FROM project_approvals WHERE project_id = $1 ORDER BY approval_version DESC LIMIT 1`,
      [projectId],
    );
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state)
       VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, $5)`,
      [id, projectId, approvalId, `tre-ws-${id.slice(0, 8)}`, state],
    );
    return id;
  }
}
