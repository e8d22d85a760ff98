import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import {
  CollectGrantsService,
  OutputCollectionRunner,
  COLLECTION_STEP_NAMES,
  claimCollectorRun,
  collectorRunJournal,
} from '@tre/outputs';
import { startFakeKube, type FakeKube } from '@tre/testing';
import {
  CLUSTER_DRIVER,
  WORKSPACE_SETTINGS,
  WorkspaceReconciler,
  buildCollectorEgressPolicy,
  buildCollectorJob,
  buildCollectorTokenSecret,
  buildNamespace,
  buildOutputsClaim,
  collectorObjectNames,
  OperationSuperseded,
  pendingStep,
  type ClusterDriver,
  type WorkspaceSettings,
} from '@tre/workspaces';
import { runCli } from '../../apps/cli/src/run';
import { ConvergenceSweep } from '../../apps/worker/src/convergence/convergence-sweep';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { CollectorKubelet } from '../support/collector-kubelet';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, reservedPort } from '../support/test-worker';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
// Short enough for the deadline case, long enough that a loaded machine finishes a real collector run within it.
const DEADLINE_SECONDS = 8;
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

interface CollectionBody {
  id: string;
  state: string;
  settled: boolean;
  steps: { name: string; state: string; error: string | null; note: string | null }[];
  items: { path: string; result: { status: string; reason?: string; fileId?: string } | null }[];
  error: string | null;
}

/**
 * Adding a file by path with a cluster attached: the API queues a collection, the worker issues the grant and
 * creates the token's Secret, the collector's egress policy and its Job in the workspace's namespace (the
 * fake Kubernetes API), the test plays the kubelet running the real `tre workspace collect` with the token
 * the Secret holds, and the worker waits, then revokes the grant and deletes all three whatever happened.
 */
describe('collecting outputs with a cluster attached (the collector Job)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeKube;
  let alice: Caller;
  let projectId: string;
  let workspaceId: string;
  let namespace: string;
  let settings: WorkspaceSettings;
  let baseUrl: string;
  const kubelet = new CollectorKubelet();

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const db = () => t.app.get(DataSource);
  const driver = () => t.app.get<ClusterDriver>(CLUSTER_DRIVER);
  const volume = () => kubelet.volumeOf(namespace);
  const newRequest = async (title: string): Promise<string> =>
    (await alice.post('/outputs', { projectId, title })).body.id as string;

  async function settled(requestId: string, collectionId: string): Promise<CollectionBody> {
    return eventually(
      async () => {
        const answer = await alice.get(`/outputs/${requestId}/collections/${collectionId}`);
        expect(answer.status).toBe(200);
        const body = answer.body as CollectionBody;
        return body.settled ? body : undefined;
      },
      30_000,
      `collection ${collectionId} to settle`,
    );
  }

  /** The collector objects (Job, Secret, policy) left in the namespace. */
  const collectorObjects = () =>
    ['Job', 'Secret', 'NetworkPolicy'].flatMap((kind) =>
      fake
        .objects(kind)
        .filter((o) => {
          const metadata = o.metadata as { namespace?: string; labels?: Record<string, string> };
          return (
            metadata.namespace === namespace &&
            metadata.labels?.['app.kubernetes.io/component'] === 'collector'
          );
        })
        .map((o) => `${kind}/${(o.metadata as { name: string }).name}`),
    );
  /** Successful writes the fake answered for one object (create, apply), by its path. */
  const writesTo = (path: string) =>
    fake
      .calls()
      .filter(
        (c) =>
          (c.method === 'POST' || c.method === 'PATCH') &&
          (c.path === path || c.path.startsWith(`${path}?`)) &&
          (c.outcome === 200 || c.outcome === 201),
      ).length;
  const deletesOf = (path: string) =>
    fake.calls().filter((c) => c.method === 'DELETE' && c.path === path && c.outcome === 200).length;
  const paths = (grantId: string) => {
    const names = collectorObjectNames(grantId);
    return {
      job: `/apis/batch/v1/namespaces/${namespace}/jobs/${names.job}`,
      secret: `/api/v1/namespaces/${namespace}/secrets/${names.secret}`,
      policy: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/${names.policy}`,
    };
  };
  const grantRow = async (grantId: string) =>
    (
      await db().query<
        { token_hash: string; revoked_at: Date | null; spent_at: Date | null; origin: object }[]
      >('SELECT * FROM output_collect_grants WHERE id = $1', [grantId])
    )[0];
  const filesOf = (requestId: string) =>
    db().query<{ file_name: string; sha256: string; provenance: Record<string, unknown> }[]>(
      'SELECT file_name, sha256, provenance FROM output_files WHERE request_id = $1',
      [requestId],
    );
  const grantIdOf = async (collectionId: string) =>
    (
      await db().query<{ grant_id: string }[]>('SELECT grant_id FROM output_collections WHERE id = $1', [
        collectionId,
      ])
    )[0].grant_id;

  /** Every object of a collection was written once, and deleted; its grant is dead. */
  async function expectCleanedUp(grantId: string): Promise<void> {
    const at = paths(grantId);
    expect(collectorObjects()).toEqual([]);
    expect(writesTo(`/api/v1/namespaces/${namespace}/secrets`)).toBeGreaterThanOrEqual(1);
    expect(writesTo(at.policy)).toBe(1);
    expect(writesTo(at.job)).toBe(1);
    for (const path of [at.job, at.secret, at.policy]) expect(deletesOf(path)).toBe(1);
    const grant = await grantRow(grantId);
    expect(grant.revoked_at ?? grant.spent_at).not.toBeNull();
  }

  beforeAll(async () => {
    fake = await startFakeKube({ jobs: 'manual', onJobCreated: (job) => void kubelet.run(job) });
    kubelet.fake = fake;
    const reserved = await reservedPort();
    const apiPort = reserved.port;
    const settingsFile = join(mkdtempSync(join(tmpdir(), 'tre-ws-settings-')), 'workspaces.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        apiEgress: { url: `http://127.0.0.1:${apiPort}`, port: apiPort, to: { cidr: '127.0.0.1/32' } },
      }),
    );
    t = await startTestApp({
      WORKSPACE_DRIVER: 'kubernetes',
      KUBECONFIG_PATH: fake.kubeconfigPath,
      WORKSPACE_SETTINGS_FILE: settingsFile,
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-collect-store-')),
      OUTPUT_COLLECT_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
      // The worker below serves its health on this port: two files running at once must not share 3001.
      WORKER_PORT: '0',
    });
    await reserved.release();
    await t.app.listen(apiPort, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${apiPort}`;
    settings = t.app.get<WorkspaceSettings>(WORKSPACE_SETTINGS);
    alice = await person('alice', ['researcher']);
    projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    // The workspace as provisioning leaves it (provisioning is tested in test/workspaces): its row, its
    // namespace and its outputs claim in the cluster. Written before the worker starts, which then finds it.
    workspaceId = randomUUID();
    const spec = { workspaceId, projectId, size: 'small' as const, tool: 'jupyterlab' as const };
    namespace = buildNamespace(spec, settings).metadata.name;
    const [approval] = await db().query<{ id: string }[]>(
      'SELECT id FROM project_approvals WHERE project_id = $1',
      [projectId],
    );
    await db().query(
      `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state) VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready')`,
      [workspaceId, projectId, approval.id, namespace],
    );
    await driver().apply(buildNamespace(spec, settings));
    await driver().apply(buildOutputsClaim(spec, settings));
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    moduleRef.get(OutputCollectionRunner).pollMs = 50;
    moduleRef.get(OutputCollectionRunner).graceMs = 500;
    await moduleRef.init();
    worker = moduleRef;
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await fake?.close();
  });

  it('a Job that succeeds stores the file with its provenance, then the grant is dead and the objects gone', async () => {
    kubelet.behaviour = { mode: 'collect' };
    const requestId = await newRequest('From the cluster');
    mkdirSync(join(volume(), 'tables'), { recursive: true });
    const table = tableCsv(RECORD);
    writeFileSync(join(volume(), 'tables', 'admissions.csv'), table);
    writeFileSync(join(volume(), 'tables', 'admissions.csv.record.json'), JSON.stringify(RECORD));

    const added = await alice.post(`/outputs/${requestId}/paths`, {
      workspaceId,
      path: 'tables/admissions.csv',
      recordPath: 'tables/admissions.csv.record.json',
      context: 'admissions by age band and sex',
      controls: 'no cell under 10',
    });
    expect(added.status).toBe(202);
    expect(added.body).toMatchObject({ runner: 'kubernetes', path: 'tables/admissions.csv' });
    const started = added.body.collection as CollectionBody;
    expect(started).toMatchObject({ state: 'queued', settled: false });
    expect(started.steps.map((s) => [s.name, s.state])).toEqual(
      COLLECTION_STEP_NAMES.map((name) => [name, 'pending']),
    );

    const collection = await settled(requestId, started.id);
    expect(collection.error).toBeNull();
    expect(collection.state).toBe('succeeded');
    expect(collection.steps.map((s) => [s.name, s.state])).toEqual(
      COLLECTION_STEP_NAMES.map((name) => [name, 'done']),
    );
    const [item] = collection.items;
    expect(item.result).toMatchObject({ status: 'stored', fileId: expect.any(String) as string });

    // The kubelet ran one pod with the Secret's token; the file came through the intake with its provenance.
    const grantId = await grantIdOf(collection.id);
    const [pod, ...others] = kubelet.pods.filter((p) => p.job === collectorObjectNames(grantId).job);
    expect(others).toEqual([]);
    expect(pod.error).toBeUndefined();
    const token = pod.env.TRE_COLLECT_TOKEN;
    const grant = await grantRow(grantId);
    expect(grant.token_hash).toBe(sha256(token));
    expect(grant.spent_at).not.toBeNull();
    const claim = await driver().get('PersistentVolumeClaim', namespace, 'outputs');
    const [file, ...moreFiles] = await filesOf(requestId);
    expect(moreFiles).toEqual([]);
    expect(file.sha256).toBe(sha256(table));
    expect(file.provenance).toMatchObject({
      source: 'workspace-outputs',
      runner: 'kubernetes',
      workspaceId,
      namespace,
      claimUid: claim?.metadata.uid,
      jobUid: pod.jobUid,
      image: settings.loaderImage,
      grantId,
      path: 'tables/admissions.csv',
      sha256: sha256(table),
      recordSha256: sha256(JSON.stringify(RECORD)),
    });

    await expectCleanedUp(grantId);
    // The token is dead: used once, and its Secret gone.
    const again = await fetch(`${pod.env.TRE_API_URL}/output-intake/${requestId}/plan`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(401);
    expect(JSON.stringify(fake.objects())).not.toContain(token);
  }, 60_000);

  it('a path the collector refuses (a link) fails that file with the reason, stores nothing, and cleans up', async () => {
    kubelet.behaviour = { mode: 'collect' };
    const requestId = await newRequest('A link');
    symlinkSync('/etc/passwd', join(volume(), 'passwd.txt'));
    const added = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'passwd.txt' });
    expect(added.status).toBe(202);
    const collection = await settled(requestId, (added.body.collection as CollectionBody).id);
    expect(collection.state).toBe('failed');
    expect(collection.items[0].result).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/link/) as string,
    });
    expect(collection.error).toMatch(/passwd\.txt: .*link/);
    expect(await filesOf(requestId)).toEqual([]);
    await expectCleanedUp(await grantIdOf(collection.id));
  }, 60_000);

  it('a Job that fails ends as a clear error on the file with the reason, nothing stored, the grant revoked', async () => {
    kubelet.behaviour = { mode: 'crash', message: 'out of memory reading the outputs volume' };
    const requestId = await newRequest('A crash');
    writeFileSync(join(volume(), 'notes.txt'), 'Method: counts of admissions.\n');
    const added = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'notes.txt' });
    expect(added.status).toBe(202);
    const collection = await settled(requestId, (added.body.collection as CollectionBody).id);
    expect(collection.state).toBe('failed');
    const reason = 'the collector Job failed: out of memory reading the outputs volume';
    expect(collection.items[0].result).toEqual({ status: 'failed', reason });
    expect(collection.error).toBe(reason);
    expect(collection.steps.find((s) => s.name === 'wait-for-job')).toMatchObject({
      state: 'failed',
      error: reason,
    });
    expect(collection.steps.find((s) => s.name === 'clean-up')?.state).toBe('done');
    expect(await filesOf(requestId)).toEqual([]);
    const grantId = await grantIdOf(collection.id);
    expect((await grantRow(grantId)).revoked_at).not.toBeNull();
    await expectCleanedUp(grantId);
  }, 60_000);

  it('a Job that outlives its deadline fails the file with that reason; a second add meanwhile is a 409', async () => {
    kubelet.behaviour = { mode: 'hang' };
    const requestId = await newRequest('A hang');
    writeFileSync(join(volume(), 'slow.txt'), 'slow\n');
    const added = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'slow.txt' });
    expect(added.status).toBe(202);
    const second = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'slow.txt' });
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/still running/);
    const collection = await settled(requestId, (added.body.collection as CollectionBody).id);
    const reason = `the collector Job did not finish within its deadline of ${DEADLINE_SECONDS} s`;
    expect(collection).toMatchObject({ state: 'failed', error: reason });
    expect(collection.items[0].result).toEqual({ status: 'failed', reason });
    expect(await filesOf(requestId)).toEqual([]);
    const grantId = await grantIdOf(collection.id);
    expect((await grantRow(grantId)).revoked_at).not.toBeNull();
    await expectCleanedUp(grantId);
    // Settled: the next add is taken.
    kubelet.behaviour = { mode: 'collect' };
    const third = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'slow.txt' });
    expect(third.status).toBe(202);
    expect((await settled(requestId, (third.body.collection as CollectionBody).id)).state).toBe('succeeded');
  }, 60_000);

  it('a Job removed while the worker waits fails the file at once, not at the deadline', async () => {
    kubelet.behaviour = { mode: 'hang' };
    const requestId = await newRequest('A removed Job');
    writeFileSync(join(volume(), 'gone.txt'), 'gone\n');
    const added = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'gone.txt' });
    expect(added.status).toBe(202);
    const collectionId = (added.body.collection as CollectionBody).id;
    const grantId = await eventually(async () => {
      const steps = (await alice.get(`/outputs/${requestId}/collections/${collectionId}`)).body
        .steps as CollectionBody['steps'];
      return steps.find((s) => s.name === 'wait-for-job')?.state === 'running'
        ? await grantIdOf(collectionId)
        : undefined;
    });
    const removedAt = Date.now();
    await driver().delete('Job', namespace, collectorObjectNames(grantId).job);
    const collection = await settled(requestId, collectionId);
    const reason = `the collector Job ${collectorObjectNames(grantId).job} was removed before it finished`;
    expect(collection).toMatchObject({ state: 'failed', error: reason });
    expect(collection.items[0].result).toEqual({ status: 'failed', reason });
    // Well inside the deadline: the worker saw the Job gone on its next poll.
    expect(Date.now() - removedAt).toBeLessThan((DEADLINE_SECONDS * 1000) / 2);
    expect(await filesOf(requestId)).toEqual([]);
    await expectCleanedUp(grantId);
  }, 60_000);

  it('a collection is seen only by members of its request, and client mistakes are 4xx', async () => {
    const requestId = await newRequest('Seen by members');
    const zed = await person('zed', ['researcher']);
    const unknown = randomUUID();
    expect((await alice.get(`/outputs/${requestId}/collections/${unknown}`)).status).toBe(404);
    expect((await alice.get(`/outputs/${requestId}/collections/not-a-uuid`)).status).toBe(400);
    writeFileSync(join(volume(), 'members.txt'), 'members\n');
    const added = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'members.txt' });
    const id = (added.body.collection as CollectionBody).id;
    expect((await zed.get(`/outputs/${requestId}/collections/${id}`)).status).toBe(404);
    await settled(requestId, id);
    // A collector whose Job's uid the worker has not yet recorded is told to wait (it retries a 503), so no
    // file is stored without the Job in its provenance.
    const grants = t.app.get(CollectGrantsService);
    const early = await newRequest('Too early');
    const { grantId, token } = await grants.issue(
      {
        requestId: early,
        projectId,
        requestedBy: 'alice',
        items: [{ path: 'members.txt', recordPath: null, context: null, controls: null }],
        origin: {
          workspaceId,
          namespace,
          claimUid: null,
          jobUid: null,
          image: settings.loaderImage,
          runner: 'kubernetes',
        },
      },
      60,
    );
    const plan = () =>
      fetch(`${baseUrl}/output-intake/${early}/plan`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const waiting = await plan();
    expect(waiting.status).toBe(503);
    expect(((await waiting.json()) as { message: string }).message).toMatch(/being started/);
    await grants.setOrigin(grantId, { jobUid: randomUUID() });
    expect((await plan()).status).toBe(200);
    await grants.revokeGrant(grantId);
    // A workspace being torn down has no volume to read: a 409 with the reason, and no collection queued.
    await db().query(`UPDATE workspaces SET state = 'deprovisioning' WHERE id = $1`, [workspaceId]);
    try {
      const refused = await alice.post(`/outputs/${requestId}/paths`, { workspaceId, path: 'members.txt' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/The workspace is deprovisioning/);
    } finally {
      await db().query(`UPDATE workspaces SET state = 'ready' WHERE id = $1`, [workspaceId]);
    }
  }, 60_000);

  it('`tre outputs add` waits for the collection and prints its steps, then the file (or why not)', async () => {
    kubelet.behaviour = { mode: 'collect' };
    const requestId = await newRequest('From the CLI');
    writeFileSync(join(volume(), 'cli.txt'), 'added from the CLI\n');
    const token = await t.env.token('alice', ['researcher']);
    const tre = async (...args: string[]) => {
      const out: string[] = [];
      const capture = (chunk: string | Uint8Array) => {
        out.push(String(chunk));
        return true;
      };
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
      process.env.TRE_POLL_MS = '50';
      try {
        const code = await runCli([
          'node',
          'tre',
          'outputs',
          'add',
          ...args,
          '--api',
          baseUrl,
          '--token',
          token,
        ]);
        return { code, out: out.join('') };
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
        delete process.env.TRE_POLL_MS;
        process.exitCode = undefined;
      }
    };
    const added = await tre('--request', requestId, '--path', 'cli.txt', '--workspace', workspaceId);
    expect(added.code).toBe(0);
    for (const name of COLLECTION_STEP_NAMES) expect(added.out).toMatch(new RegExp(`  ${name}: done`));
    expect(added.out).toMatch(/collector-job: done \(Job\/collect-[0-9a-f-]+ uid [0-9a-f-]+/);
    expect(added.out).toMatch(/added cli\.txt: file [0-9a-f-]+, 19 bytes, sha256 [0-9a-f]{64}/);

    kubelet.behaviour = { mode: 'crash', message: 'the node went away' };
    const failed = await tre('--request', requestId, '--path', 'cli.txt', '--workspace', workspaceId);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/wait-for-job: failed \(the collector Job failed: the node went away\)/);
    expect(failed.out).toMatch(/clean-up: done/);
    expect(failed.out).toMatch(/not added cli\.txt: the collector Job failed: the node went away/);
  }, 60_000);

  it('a queued collection whose job Redis lost is enqueued again by the convergence sweep, and runs', async () => {
    kubelet.behaviour = { mode: 'collect' };
    const requestId = await newRequest('Lost job');
    writeFileSync(join(volume(), 'lost.txt'), 'the job was lost\n');
    const items = [{ path: 'lost.txt', recordPath: null, context: null, controls: null }];
    const [row] = await db().query<{ id: string }[]>(
      `INSERT INTO output_collections (request_id, project_id, workspace_id, requested_by, runner, state, items, steps)
       VALUES ($1, $2, $3, 'alice', 'kubernetes', 'queued', $4, $5) RETURNING id`,
      [
        requestId,
        projectId,
        workspaceId,
        JSON.stringify(items),
        JSON.stringify(COLLECTION_STEP_NAMES.map(pendingStep)),
      ],
    );
    const report = await worker.get(ConvergenceSweep).sweep();
    expect(report.requeued).toContain(`outputs.collect: ${row.id}`);
    expect((await settled(requestId, row.id)).state).toBe('succeeded');
    expect((await filesOf(requestId)).map((f) => f.file_name)).toEqual(['lost.txt']);
  }, 60_000);

  it('lets only the latest run of a collection record steps: a run that lost its claim is refused and stops', async () => {
    const requestId = await newRequest('Taken over');
    const [row] = await db().query<{ id: string }[]>(
      `INSERT INTO output_collections (request_id, project_id, workspace_id, requested_by, runner, state, items, steps)
       VALUES ($1, $2, $3, 'alice', 'kubernetes', 'running', '[]', $4) RETURNING id`,
      [requestId, projectId, workspaceId, JSON.stringify(COLLECTION_STEP_NAMES.map(pendingStep))],
    );
    // A worker's run, stalled past its job's lock; then the run of the worker that took the job over.
    const stalled = await claimCollectorRun(db(), 'output_collections', row.id);
    const takenOver = await claimCollectorRun(db(), 'output_collections', row.id);
    const journal = (runId: string | undefined) =>
      collectorRunJournal(db(), 'output_collections', row.id, 0, runId!);
    await expect(journal(stalled).update(0, { state: 'running', attempts: 1 })).rejects.toBeInstanceOf(
      OperationSuperseded,
    );
    await expect(journal(stalled).steps()).rejects.toBeInstanceOf(OperationSuperseded);
    await journal(takenOver).update(0, { state: 'done', attempts: 1 });
    const [after] = await db().query<{ steps: { state: string; attempts: number }[] }[]>(
      `SELECT steps FROM output_collections WHERE id = $1`,
      [row.id],
    );
    expect(after.steps[0]).toMatchObject({ state: 'done', attempts: 1 });
    expect(after.steps.slice(1).every((step) => step.state === 'pending')).toBe(true);
    await db().query(`UPDATE output_collections SET state = 'failed' WHERE id = $1`, [row.id]);
  });

  it('the reconciler removes what a dead worker left of a collection, and leaves a live or reported, unsettled one alone', async () => {
    kubelet.behaviour = { mode: 'hang' };
    const grants = t.app.get(CollectGrantsService);
    const spec = { workspaceId, projectId, size: 'small' as const, tool: 'jupyterlab' as const };
    const origin = {
      workspaceId,
      namespace,
      claimUid: null,
      jobUid: null,
      image: settings.loaderImage,
      runner: 'kubernetes' as const,
    };
    const items = [{ path: 'left.txt', recordPath: null, context: null, controls: null }];
    /** A collection as a worker leaves it when it dies after creating the Job: running, its objects there. */
    const leftBehind = async (requestId: string) => {
      const { grantId, token } = await grants.issue(
        { requestId, projectId, requestedBy: 'alice', items, origin },
        600,
      );
      const [row] = await db().query<{ id: string }[]>(
        `INSERT INTO output_collections (request_id, project_id, workspace_id, requested_by, runner, state, items, steps, grant_id)
         VALUES ($1, $2, $3, 'alice', 'kubernetes', 'running', $4, $5, $6) RETURNING id`,
        [
          requestId,
          projectId,
          workspaceId,
          JSON.stringify(items),
          JSON.stringify(COLLECTION_STEP_NAMES.map(pendingStep)),
          grantId,
        ],
      );
      const options = { grantId, requestId, activeDeadlineSeconds: 60 };
      await driver().create(buildCollectorTokenSecret(spec, settings, { grantId, token }));
      await driver().apply(buildCollectorEgressPolicy(spec, settings, options));
      await driver().apply(buildCollectorJob(spec, settings, options));
      return { grantId, collectionId: row.id };
    };
    const dead = await leftBehind(await newRequest('Dead worker'));
    const live = await leftBehind(await newRequest('Live collection'));
    // The collector has reported (its token spent) but the worker has yet to see the Job end: still in use.
    const reported = await leftBehind(await newRequest('Reported, not yet settled'));
    await db().query(`UPDATE output_collect_grants SET spent_at = now() WHERE id = $1`, [reported.grantId]);
    const reportedNames = collectorObjectNames(reported.grantId);
    await db().query(
      `UPDATE output_collect_grants SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [dead.grantId],
    );
    const deadNames = collectorObjectNames(dead.grantId);
    const liveNames = collectorObjectNames(live.grantId);
    expect(collectorObjects()).toEqual(
      expect.arrayContaining([`Job/${deadNames.job}`, `Secret/${deadNames.secret}`, `Job/${liveNames.job}`]),
    );

    const report = await worker.get(WorkspaceReconciler).reconcile();
    const removed = report.repairs.filter((r) => r.what === 'leftover').map((r) => `${r.kind}/${r.name}`);
    expect(removed.sort()).toEqual(
      [`Job/${deadNames.job}`, `NetworkPolicy/${deadNames.policy}`, `Secret/${deadNames.secret}`].sort(),
    );
    const objectsOf = (names: { job: string; policy: string; secret: string }) => [
      `Job/${names.job}`,
      `NetworkPolicy/${names.policy}`,
      `Secret/${names.secret}`,
    ];
    expect(collectorObjects().sort()).toEqual([...objectsOf(liveNames), ...objectsOf(reportedNames)].sort());
    const [settledDead] = await db().query<
      { state: string; error: string; steps: { name: string; state: string }[] }[]
    >('SELECT state, error, steps FROM output_collections WHERE id = $1', [dead.collectionId]);
    expect(settledDead.state).toBe('failed');
    expect(settledDead.error).toMatch(/worker running this collection stopped/);
    expect(settledDead.steps.find((s) => s.name === 'clean-up')?.state).toBe('done');
    const [stillLive] = await db().query<{ state: string }[]>(
      'SELECT state FROM output_collections WHERE id = $1',
      [live.collectionId],
    );
    expect(stillLive.state).toBe('running');

    // Once the live one's grant is dead too, and the reported one settled without its clean-up finishing, the
    // next pass removes both.
    await grants.revokeGrant(live.grantId);
    await db().query(`UPDATE output_collections SET state = 'succeeded' WHERE id = $1`, [
      reported.collectionId,
    ]);
    await worker.get(WorkspaceReconciler).reconcile();
    expect(collectorObjects()).toEqual([]);
  }, 60_000);
});
