import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { samplePopulation, seedDatasets, seedSources } from '@tre/datasets';
import {
  LOAD_TOKEN_ISSUER,
  LoadVerificationError,
  type LoadScope,
  type LoadTokenIssuer,
} from '@tre/workspaces';
import { runWorkspaceLoad } from '../../apps/cli/src/commands/workspace-load.command';
import { registerWorkspace } from '../../apps/cli/src/commands/workspace.command';
import { loadOptOutList } from '../support/opt-outs';
import { application, callerAs } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';

interface ExtractBody {
  id: string;
  status: string;
  manifest: { files: { file: string; rows: number; sha256: string; bytes: number }[] };
}

/**
 * Loading a real extract, built by the pipeline from seeded sources, over HTTP with one-time tokens: the
 * loader's routes, the token's life (issued, used, spent, revoked), and `tre workspace load` end to end
 * against the listening API.
 */
describe('loading an extract into a workspace', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let storeDir: string;
  let apiUrl: string;
  let issuer: LoadTokenIssuer;
  let projectId: string;
  let extract: ExtractBody;
  const base = (scope: LoadScope) => `/workspace-load/${scope.workspaceId}/extracts/${scope.extractId}`;
  const get = (path: string, token: string) =>
    request(t.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  const newScope = (): LoadScope => ({ workspaceId: randomUUID(), projectId, extractId: extract.id });
  const loaderEnv = (scope: LoadScope, token: string, dataDir: string) => ({
    TRE_API_URL: apiUrl,
    TRE_WORKSPACE_ID: scope.workspaceId,
    TRE_PROJECT_ID: scope.projectId,
    TRE_EXTRACT_ID: scope.extractId,
    TRE_DATA_DIR: dataDir,
    TRE_LOAD_TOKEN: token,
  });
  const auditText = async () =>
    JSON.stringify(await t.app.get(DataSource).query('SELECT action, details FROM audit_events'));

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'tre-load-store-'));
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: storeDir,
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key'),
      EXTRACT_MIN_K: '5',
    });
    await t.app.listen(0, '127.0.0.1');
    apiUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    await seedSources(t.env.database.url, { people: 400, seed: 5 });
    worker = await startTestWorker();
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
    const [someone] = samplePopulation({ people: 400, seed: 5 }, 1);
    await loadOptOutList(t.app, 'national', [someone.nhsNumber]);
    await loadOptOutList(t.app, 'type1', [someone.nhsNumber]);
    const alice = await callerAs(t, 'alice', ['researcher']);
    const datasets = [
      { datasetCode: 'GP_REGISTRATIONS', fields: ['nhs_number', 'sex', 'practice_code'], legalBasis: 's251' },
      { datasetCode: 'HES_APC', fields: ['nhs_number', 'admission_date', 'diagnosis'], legalBasis: 's251' },
    ];
    projectId = (await alice.post('/projects', application({ members: [], datasets }))).body.id as string;
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    for (const member of ['dev', 'dora']) {
      const voter = await callerAs(t, member, ['dac_member']);
      await voter.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'ok' });
    }
    extract = await eventually(
      async () => {
        const [found] = (await alice.get(`/projects/${projectId}/extracts`)).body.items as ExtractBody[];
        return found?.status === 'ready' ? found : undefined;
      },
      60_000,
      'the extract',
    );
    issuer = t.app.get<LoadTokenIssuer>(LOAD_TOKEN_ISSUER);
  }, 90_000);
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('serves the manifest and each listed file, as built, to a live token', async () => {
    const scope = newScope();
    const { token, expiresAt } = await issuer.issue(scope, 300);
    expect(token).toMatch(/^trel_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 290_000);
    const manifest = await get(`${base(scope)}/manifest`, token);
    expect(manifest.status).toBe(200);
    expect(manifest.body).toMatchObject({ workspaceId: scope.workspaceId, projectId, extractId: extract.id });
    expect(manifest.body.manifest).toEqual(extract.manifest);
    expect(manifest.body.files).toEqual(
      extract.manifest.files.map((f) => ({ ...f, bytes: expect.any(Number) as number })),
    );
    for (const file of manifest.body.files as ExtractBody['manifest']['files']) {
      const response = await get(`${base(scope)}/files/${file.file}`, token).buffer(true);
      expect(response.status).toBe(200);
      const body = response.body as Buffer;
      expect(body.length).toBe(file.bytes);
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
    }
    // The database holds the token's hash only.
    const stored = await t.app.get(DataSource).query('SELECT * FROM workspace_load_grants');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.map((row: { token_hash: string }) => row.token_hash)).toContain(
      createHash('sha256').update(token).digest('hex'),
    );
  });

  it.each([
    ['a file the manifest does not list', 'manifest.json'],
    ['a path out of the extract', '..%2F..%2Fetc%2Fpasswd'],
    ['a hidden name', '.GP_REGISTRATIONS.csv'],
  ])('answers 404 for %s', async (_what, name) => {
    const scope = newScope();
    const { token } = await issuer.issue(scope, 300);
    const response = await get(`${base(scope)}/files/${name}`, token);
    expect(response.status).toBe(404);
  });

  it('refuses a completion report that does not account for the manifest (409), keeping the token live', async () => {
    const scope = newScope();
    const { token } = await issuer.issue(scope, 300);
    const response = await request(t.app.getHttpServer())
      .post(`${base(scope)}/completion`)
      .set('Authorization', `Bearer ${token}`)
      .send({ filesVerified: 1, bytes: 10 });
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/does not match the manifest/);
    expect((await get(`${base(scope)}/manifest`, token)).status).toBe(200);
    expect(await issuer.completion(scope)).toBeUndefined();
  });

  it('issuing again supersedes the live grant of the same workspace and extract', async () => {
    const scope = newScope();
    const first = await issuer.issue(scope, 300);
    const second = await issuer.issue(scope, 300);
    expect((await get(`${base(scope)}/manifest`, first.token)).status).toBe(401);
    expect((await get(`${base(scope)}/manifest`, second.token)).status).toBe(200);
  });

  it('`tre workspace load` loads and verifies every file, reports completion, and the token dies', async () => {
    const scope = newScope();
    const { token } = await issuer.issue(scope, 300);
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tre-ws-data-')), 'data');
    const saved = { ...process.env };
    const output: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    try {
      Object.assign(process.env, loaderEnv(scope, token, dataDir));
      const program = new Command('tre').exitOverride();
      registerWorkspace(program);
      await program.parseAsync(['node', 'tre', 'workspace', 'load']);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    const files = extract.manifest.files;
    expect(readdirSync(dataDir).sort()).toEqual([...files.map((f) => f.file), 'manifest.json'].sort());
    for (const file of files) {
      const bytes = readFileSync(join(dataDir, file.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    expect(JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8'))).toEqual(extract.manifest);
    expect(output.join('')).toMatch(new RegExp(`\\[${files.length}/${files.length}\\]`));
    expect(output.join('')).not.toContain(token);

    const report = await issuer.completion(scope);
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    expect(report).toMatchObject({ filesVerified: files.length, bytes });
    const spent = await get(`${base(scope)}/manifest`, token);
    expect(spent.status).toBe(401);
    expect(spent.body.message).toMatch(/completed/);
    await issuer.revoke(scope.workspaceId);
    expect(await issuer.completion(scope)).toMatchObject({ filesVerified: files.length });
    const audit = await auditText();
    expect(audit).toContain('workspace.load_granted');
    expect(audit).toContain('workspace.load_completed');
    expect(audit).toContain('"reason":"completed"');
    expect(audit).not.toContain(token);
  });

  it('a revoked token is refused and the refusal audited', async () => {
    const scope = newScope();
    const { token } = await issuer.issue(scope, 300);
    await issuer.revoke(scope.workspaceId);
    await issuer.revoke(scope.workspaceId);
    expect((await get(`${base(scope)}/manifest`, token)).status).toBe(401);
    const events = await t.app
      .get(DataSource)
      .query<{ action: string; details: { reason?: string } }[]>(
        'SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY seq',
        [scope.workspaceId],
      );
    expect(events.map((e) => `${e.action}:${e.details.reason ?? ''}`)).toEqual([
      'workspace.load_granted:',
      'workspace.load_revoked:revoked',
      'workspace.load_denied:revoked',
    ]);
  });

  // Last: it alters a file in the store.
  it('a file changed in the store since the build fails the load loudly, and nothing is reported', async () => {
    const scope = newScope();
    const { token } = await issuer.issue(scope, 300);
    const [first] = extract.manifest.files;
    const stored = join(storeDir, projectId, extract.id, first.file);
    const original = readFileSync(stored);
    writeFileSync(stored, Buffer.concat([original.subarray(0, original.length - 2), Buffer.from('X\n')]));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tre-ws-data-')), 'data');
    const error: unknown = await runWorkspaceLoad(loaderEnv(scope, token, dataDir), () => undefined, {
      attempts: 2,
      backoffMs: 10,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadVerificationError);
    expect((error as Error).message).toContain(first.file);
    expect((error as Error).message).toContain(first.sha256);
    expect(existsSync(join(dataDir, first.file))).toBe(false);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.'))).toEqual([]);
    expect(existsSync(join(dataDir, 'manifest.json'))).toBe(false);
    expect(await issuer.completion(scope)).toBeUndefined();
    writeFileSync(stored, original);
  });
});
