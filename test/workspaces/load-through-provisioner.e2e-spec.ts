import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { samplePopulation, seedDatasets, seedSources } from '@tre/datasets';
import { startFakeKube, type FakeKube } from '@tre/testing';
import {
  LOAD_TOKEN_SECRET_NAME,
  LoadGrantsService,
  LoadVerificationError,
  WORKSPACE_OBJECT_NAMES,
  WorkspaceEntity,
  WorkspaceProvisioner,
  loaderJobName,
} from '@tre/workspaces';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { CapturedLogs } from '../support/captured-logs';
import { LoaderKubelet } from '../support/loader-kubelet';
import { loadOptOutList } from '../support/opt-outs';
import { application, callerAs } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, reservedPort } from '../support/test-worker';

interface ManifestFile {
  file: string;
  rows: number;
  sha256: string;
  bytes: number;
}
interface Extract {
  id: string;
  status: string;
  manifest: { files: ManifestFile[] };
}
/**
 * The load joined end to end: a project approved over HTTP, its extract built by the pipeline, the worker's
 * provisioner with the real load grants against the fake Kubernetes API, and the test as the kubelet running
 * the loader Job's pod (`tre workspace load`) against the listening API. Only the kubelet is stood in for.
 */
describe('loading the extract through the provisioner', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeKube;
  let storeDir: string;
  const logs = new CapturedLogs();
  const kubelet = new LoaderKubelet();

  async function startWorker(): Promise<INestApplicationContext> {
    process.env.WORKER_PORT = '0';
    const moduleRef = await logs.into(Test.createTestingModule({ imports: [WorkerModule] })).compile();
    logs.use(moduleRef);
    moduleRef.get(WorkspaceProvisioner).pollMs = 50;
    await moduleRef.init();
    return moduleRef;
  }

  const db = () => t.app.get(DataSource);

  /** Applies for, submits and approves a project; its approval starts both the extract and the workspace. */
  async function approveProject(): Promise<string> {
    const alice = await callerAs(t, 'alice', ['researcher']);
    const datasets = [
      { datasetCode: 'GP_REGISTRATIONS', fields: ['nhs_number', 'sex', 'practice_code'], legalBasis: 's251' },
      { datasetCode: 'HES_APC', fields: ['nhs_number', 'admission_date', 'diagnosis'], legalBasis: 's251' },
    ];
    const projectId = (await alice.post('/projects', application({ members: [], datasets }))).body
      .id as string;
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    for (const member of ['dev', 'dora']) {
      const voter = await callerAs(t, member, ['dac_member']);
      await voter.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'ok' });
    }
    return projectId;
  }

  async function extractOf(projectId: string): Promise<Extract> {
    const alice = await callerAs(t, 'alice', ['researcher']);
    const [extract] = (await alice.get(`/projects/${projectId}/extracts`)).body.items as Extract[];
    return extract;
  }

  const settled = (projectId: string, states: string[]) =>
    eventually(
      async () => {
        const row = await db().getRepository(WorkspaceEntity).findOneBy({ projectId });
        return row && states.includes(row.state) ? row : undefined;
      },
      90_000,
      `the workspace of project ${projectId} in ${states.join('/')}`,
    );

  const auditOf = (workspaceId: string) =>
    db().query<{ action: string; details: Record<string, unknown> }[]>(
      'SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY seq',
      [workspaceId],
    );

  const grantsOf = (workspaceId: string) =>
    db().query<
      {
        token_hash: string;
        completed_at: Date | null;
        revoked_at: Date | null;
        files_verified: number | null;
      }[]
    >('SELECT * FROM workspace_load_grants WHERE workspace_id = $1 ORDER BY issued_at', [workspaceId]);

  /** Every row of every table, as text: where a token must never be found. */
  async function wholeDatabase(): Promise<string> {
    const tables = await db().query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const dumps: string[] = [];
    for (const { table_name } of tables)
      dumps.push(JSON.stringify(await db().query(`SELECT * FROM "${table_name}"`)));
    return dumps.join('\n');
  }

  /** DELETE calls the fake answered 200 for, by path. */
  const deleted = (path: string) =>
    fake.calls().filter((c) => c.method === 'DELETE' && c.path === path && c.outcome === 200);
  const secretPath = (ns: string) => `/api/v1/namespaces/${ns}/secrets/${LOAD_TOKEN_SECRET_NAME}`;
  const policyPath = (ns: string) =>
    `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/${WORKSPACE_OBJECT_NAMES.loaderEgressPolicy}`;
  const objectsIn = (namespace: string, kind: string) =>
    fake.objects(kind).filter((o) => (o.metadata as { namespace?: string }).namespace === namespace);

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'manual', onJobCreated: (job) => void kubelet.run(job) });
    kubelet.fake = fake;
    storeDir = mkdtempSync(join(tmpdir(), 'tre-load-store-'));
    const reserved = await reservedPort();
    const apiPort = reserved.port;
    // The loader's API address comes from the workspace settings: here, the test app's own port.
    const settingsFile = join(mkdtempSync(join(tmpdir(), 'tre-ws-settings-')), 'workspaces.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        apiEgress: { url: `http://127.0.0.1:${apiPort}`, port: apiPort, to: { cidr: '127.0.0.1/32' } },
      }),
    );
    t = await startTestApp(
      {
        EXTRACT_STORE_DIR: storeDir,
        PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key'),
        EXTRACT_MIN_K: '5',
        WORKSPACE_DRIVER: 'kubernetes',
        KUBECONFIG_PATH: fake.kubeconfigPath,
        WORKSPACE_SETTINGS_FILE: settingsFile,
        // Short, so a slow load outlives an attempt's wait (the step waits for the extract over attempts).
        WORKSPACE_STEP_TIMEOUT_SECONDS: '3',
        WORKSPACE_RETRY_DELAY_SECONDS: '1',
        LOG_LEVEL: 'debug',
      },
      { logs },
    );
    await reserved.release();
    await t.app.listen(apiPort, '127.0.0.1');
    await seedSources(t.env.database.url, { people: 400, seed: 5 });
    worker = await startWorker();
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
    const [someone] = samplePopulation({ people: 400, seed: 5 }, 1);
    await loadOptOutList(t.app, 'national', [someone.nhsNumber]);
    await loadOptOutList(t.app, 'type1', [someone.nhsNumber]);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await fake?.close();
  });

  it('provisions, loads every file verified into the data volume, then closes the path out and ends the grant', async () => {
    const grants = worker.get(LoadGrantsService);
    const issue = jest.spyOn(grants, 'issue');
    const revoke = jest.spyOn(grants, 'revoke');
    const projectId = await approveProject();
    const workspace = await settled(projectId, ['ready', 'failed']);
    const extract = await extractOf(projectId);

    expect(workspace.state).toBe('ready');
    const files = extract.manifest.files;
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    expect(workspace.steps.map((s) => [s.name, s.state])).toContainEqual(['load-extract', 'done']);
    expect(workspace.steps.at(-1)?.note).toBe(
      `extract ${extract.id}: ${files.length} file(s), ${bytes} bytes verified`,
    );

    // The kubelet ran one pod, with the Job's env and the Secret's token, and it loaded cleanly.
    const [pod, ...others] = kubelet.podsIn(workspace.namespace);
    expect(others).toEqual([]);
    expect(pod.error).toBeUndefined();
    expect(pod.env).toMatchObject({
      TRE_WORKSPACE_ID: workspace.id,
      TRE_PROJECT_ID: projectId,
      TRE_EXTRACT_ID: extract.id,
      TRE_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
    });
    const token = pod.env.TRE_LOAD_TOKEN;
    expect(token).toMatch(/^trel_/);
    expect(readdirSync(pod.volume).sort()).toEqual([...files.map((f) => f.file), 'manifest.json'].sort());
    for (const file of files) {
      const content = readFileSync(join(pod.volume, file.file));
      expect(createHash('sha256').update(content).digest('hex')).toBe(file.sha256);
    }
    expect(JSON.parse(readFileSync(join(pod.volume, 'manifest.json'), 'utf8'))).toEqual(extract.manifest);

    // One grant, completed by the loader; the provisioner's revocation came after (a spent grant stays spent).
    const [grant, ...more] = await grantsOf(workspace.id);
    expect(more).toEqual([]);
    expect(grant.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(grant.completed_at).not.toBeNull();
    expect(grant.files_verified).toBe(files.length);
    expect(issue).toHaveBeenCalledTimes(1);
    expect(revoke).toHaveBeenCalledWith(workspace.id);
    const revokedAt = revoke.mock.invocationCallOrder[0];
    expect(revokedAt).toBeGreaterThan(issue.mock.invocationCallOrder[0]);
    const spent = await fetch(
      `${pod.env.TRE_API_URL}/workspace-load/${workspace.id}/extracts/${extract.id}/manifest`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(spent.status).toBe(401);

    // The path out, the token and the finished Job are gone; the steady state remains.
    for (const kind of ['Secret', 'Job']) expect(objectsIn(workspace.namespace, kind)).toEqual([]);
    expect(
      objectsIn(workspace.namespace, 'NetworkPolicy').map((p) => (p.metadata as { name: string }).name),
    ).not.toContain(WORKSPACE_OBJECT_NAMES.loaderEgressPolicy);
    expect(deleted(secretPath(workspace.namespace)).length).toBeGreaterThanOrEqual(1);
    expect(deleted(policyPath(workspace.namespace))).toHaveLength(1);

    const audit = await auditOf(workspace.id);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['workspace.load_granted', 'workspace.load_completed', 'workspace.ready']),
    );
    const actions = audit.map((a) => a.action);
    expect(actions.indexOf('workspace.load_granted')).toBeLessThan(
      actions.indexOf('workspace.load_completed'),
    );
    expect(actions.indexOf('workspace.load_completed')).toBeLessThan(actions.indexOf('workspace.ready'));
    expect(audit.find((a) => a.action === 'workspace.load_completed')?.details).toMatchObject({
      filesVerified: files.length,
      bytes,
    });

    // The token is nowhere but where Kubernetes kept it, and that Secret is deleted.
    const requestLogs = logs.lines.filter((line) => line.includes(`/workspace-load/${workspace.id}/`));
    expect(requestLogs.length).toBeGreaterThanOrEqual(files.length + 2);
    expect(logs.text()).not.toContain(token);
    expect(await wholeDatabase()).not.toContain(token);
    expect(JSON.stringify(fake.objects())).not.toContain(token);
    expect(pod.output.join('\n')).not.toContain(token);
  }, 120_000);

  it('a file changed in the store fails the load loudly: the Job failed, the step failed with why, the path out closed and the grant revoked', async () => {
    let tampered = '';
    kubelet.beforeLoad = (env) => {
      const dir = join(storeDir, env.TRE_PROJECT_ID, env.TRE_EXTRACT_ID);
      const name = readdirSync(dir).find((f) => f.startsWith('GP_REGISTRATIONS')) as string;
      const original = readFileSync(join(dir, name));
      writeFileSync(
        join(dir, name),
        Buffer.concat([original.subarray(0, original.length - 2), Buffer.from('X\n')]),
      );
      tampered = name;
    };
    const projectId = await approveProject();
    const workspace = await settled(projectId, ['ready', 'failed']);
    const extract = await extractOf(projectId);

    expect(workspace.state).toBe('failed');
    const step = workspace.steps.find((s) => s.name === 'load-extract');
    expect(step?.state).toBe('failed');

    const [pod, ...others] = kubelet.podsIn(workspace.namespace);
    expect(others).toEqual([]);
    expect(pod.error).toBeInstanceOf(LoadVerificationError);
    const expected = extract.manifest.files.find((f) => f.file === tampered);
    // The loader's own reason, through its pod's termination message: which file, and what was expected.
    expect(pod.terminationMessage).toBe(`${(pod.error as Error).message}\n`);
    expect(step?.error).toBe(
      `the loader Job ${loaderJobName(extract.id)} failed: ${(pod.error as Error).message}`,
    );
    expect(step?.error).toContain(
      `${tampered} does not match the manifest: expected sha256 ${expected?.sha256}`,
    );
    expect((pod.error as Error).message).toContain(tampered);
    expect((pod.error as Error).message).toContain(expected?.sha256);
    expect(existsSync(join(pod.volume, tampered))).toBe(false);
    expect(existsSync(join(pod.volume, 'manifest.json'))).toBe(false);

    // The step's own clean-up ran (before the failed workspace's namespace was deleted with the rest).
    const namespaceDeleted = fake
      .calls()
      .findIndex((c) => c.method === 'DELETE' && c.path === `/api/v1/namespaces/${workspace.namespace}`);
    const calls = fake.calls();
    const lastDelete = (path: string) =>
      calls.findLastIndex((c) => c.method === 'DELETE' && c.path === path && c.outcome === 200);
    expect(lastDelete(secretPath(workspace.namespace))).toBeGreaterThan(-1);
    expect(lastDelete(secretPath(workspace.namespace))).toBeLessThan(namespaceDeleted);
    expect(lastDelete(policyPath(workspace.namespace))).toBeGreaterThan(-1);
    expect(lastDelete(policyPath(workspace.namespace))).toBeLessThan(namespaceDeleted);
    expect(fake.objects().filter((o) => JSON.stringify(o.metadata).includes(workspace.namespace))).toEqual(
      [],
    );

    const [grant, ...more] = await grantsOf(workspace.id);
    expect(more).toEqual([]);
    expect(grant.completed_at).toBeNull();
    expect(grant.revoked_at).not.toBeNull();
    const audit = await auditOf(workspace.id);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['workspace.load_granted', 'workspace.load_revoked', 'workspace.failed']),
    );
    expect(audit.map((a) => a.action)).not.toContain('workspace.load_completed');
    expect(audit.find((a) => a.action === 'workspace.load_revoked')?.details).toMatchObject({
      reason: 'revoked',
    });

    const token = pod.env.TRE_LOAD_TOKEN;
    expect(token).toMatch(/^trel_/);
    expect(logs.text()).not.toContain(token);
    expect(await wholeDatabase()).not.toContain(token);
  }, 120_000);

  it('a load that outlives an attempt goes on: the next attempt waits for the same Job and its token', async () => {
    const grants = worker.get(LoadGrantsService);
    const issue = jest.spyOn(grants, 'issue');
    // The pod has its token, then takes longer than the step's 3 s wait.
    kubelet.beforeLoad = () => new Promise((resolve) => setTimeout(resolve, 5_000));
    const projectId = await approveProject();
    const workspace = await settled(projectId, ['ready', 'failed']);
    kubelet.beforeLoad = () => undefined;

    expect(workspace.state).toBe('ready');
    const step = workspace.steps.find((s) => s.name === 'load-extract');
    expect(step?.state).toBe('done');
    expect(step?.attempts).toBeGreaterThanOrEqual(2);
    const [pod, ...others] = kubelet.podsIn(workspace.namespace);
    expect(others).toEqual([]);
    expect(pod.error).toBeUndefined();
    expect(issue.mock.calls.filter(([scope]) => scope.workspaceId === workspace.id)).toHaveLength(1);
    const [grant, ...more] = await grantsOf(workspace.id);
    expect(more).toEqual([]);
    expect(grant.completed_at).not.toBeNull();
    const actions = (await auditOf(workspace.id)).map((a) => a.action);
    expect(actions).not.toContain('workspace.load_revoked');
    expect(actions).not.toContain('workspace.load_denied');
    expect(objectsIn(workspace.namespace, 'Secret')).toEqual([]);
    expect(deleted(policyPath(workspace.namespace))).toHaveLength(1);
  }, 120_000);
});
