import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import {
  COLLECTION_STEP_NAMES,
  COLLECTOR_RUN_STEP_NAMES,
  CollectGrantsService,
  OutputCollectionRunner,
  OutputListingRunner,
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
  pendingStep,
  workspaceNamespaceName,
  type ClusterDriver,
  type WorkspaceSettings,
} from '@tre/workspaces';
import { runCli } from '../../apps/cli/src/run';
import { ConvergenceSweep } from '../../apps/worker/src/convergence/convergence-sweep';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { CollectorKubelet } from '../support/collector-kubelet';
import { approvedProject } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, reservedPort } from '../support/test-worker';

const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
// Short enough for the deadline case, long enough that a loaded machine finishes a real collector run within it.
const DEADLINE_SECONDS = 8;

interface ListingBody {
  id: string;
  workspaceId: string;
  runner: string;
  state: string;
  settled: boolean;
  steps: { name: string; state: string; error: string | null; note: string | null }[];
  files: { path: string; sizeBytes: number; modifiedAt: string; recordPath: string | null }[] | null;
  skipped: { path: string; reason: string }[] | null;
  truncated: boolean;
  origin: { namespace: string; claimUid: string; jobUid: string; runner: string } | null;
  error: string | null;
}

/**
 * Listing a workspace's outputs with a cluster attached: the API queues a listing, the worker issues a grant
 * scoped to it, creates the token's Secret, the collector's egress policy and a Job in list mode in the
 * namespace the workspace's row names (the fake Kubernetes API), the test plays the kubelet running the real
 * `tre workspace collect`, which reports the folder's files to the listing intake; the worker then revokes the
 * grant and deletes all three whatever happened.
 */
describe('listing outputs with a cluster attached (the collector Job in list mode)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeKube;
  let alice: Caller;
  let zed: Caller;
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
  const listings = () => `/workspaces/${workspaceId}/outputs/listings`;

  async function settled(id: string): Promise<ListingBody> {
    return eventually(
      async () => {
        const answer = await alice.get(`${listings()}/${id}`);
        expect(answer.status).toBe(200);
        const body = answer.body as ListingBody;
        return body.settled ? body : undefined;
      },
      30_000,
      `listing ${id} to settle`,
    );
  }
  const collectorObjects = () =>
    ['Job', 'Secret', 'NetworkPolicy'].flatMap((kind) =>
      fake
        .objects(kind)
        .filter(
          (o) =>
            (o.metadata as { labels?: Record<string, string> }).labels?.['app.kubernetes.io/component'] ===
            'collector',
        )
        .map(
          (o) =>
            `${kind}/${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`,
        ),
    );
  const grantOf = async (listingId: string) =>
    (
      await db().query<
        {
          id: string;
          token_hash: string;
          listing_id: string;
          request_id: string | null;
          revoked_at: Date | null;
          spent_at: Date | null;
        }[]
      >(
        `SELECT g.* FROM output_collect_grants g JOIN output_listings l ON l.grant_id = g.id WHERE l.id = $1`,
        [listingId],
      )
    )[0];
  const intake = (listingId: string, token: string, body: unknown) =>
    fetch(`${baseUrl}/output-listing-intake/${listingId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const grants = () => t.app.get(CollectGrantsService);
  const origin = (jobUid: string | null) => ({
    workspaceId,
    namespace,
    claimUid: null,
    jobUid,
    image: settings.loaderImage,
    runner: 'kubernetes' as const,
  });
  /** A listing row as the API leaves it, and a grant for it, as the worker's first step issues one. */
  async function listingWithGrant(jobUid: string | null = randomUUID()) {
    const [row] = await db().query<{ id: string }[]>(
      `INSERT INTO output_listings (project_id, workspace_id, requested_by, runner, state, steps)
       VALUES ($1, $2, 'alice', 'kubernetes', 'failed', '[]') RETURNING id`,
      [projectId, workspaceId],
    );
    const issued = await grants().issueForListing(
      { listingId: row.id, projectId, requestedBy: 'alice', origin: origin(jobUid) },
      60,
    );
    // 'failed' above only keeps the row out of the unsettled index; the intake writes to unsettled rows.
    await db().query(`UPDATE output_listings SET state = 'running', grant_id = $2 WHERE id = $1`, [
      row.id,
      issued.grantId,
    ]);
    return { listingId: row.id, ...issued };
  }
  const unsettle = () =>
    db().query(
      `UPDATE output_listings SET state = 'failed' WHERE workspace_id = $1 AND state IN ('queued', 'running')`,
      [workspaceId],
    );

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
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-list-store-')),
      OUTPUT_COLLECT_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
      // The worker below serves its health on this port: two files running at once must not share 3001.
      WORKER_PORT: '0',
    });
    await reserved.release();
    await t.app.listen(apiPort, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${apiPort}`;
    settings = t.app.get<WorkspaceSettings>(WORKSPACE_SETTINGS);
    alice = await person('alice', ['researcher']);
    zed = await person('zed', ['researcher']);
    projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    // The workspace's row names a namespace made under an earlier prefix: the collector must go there, not
    // to the one today's prefix would derive.
    workspaceId = randomUUID();
    namespace = `tre-old-${workspaceId}`;
    expect(workspaceNamespaceName(settings.namespacePrefix, workspaceId)).not.toBe(namespace);
    const spec = { workspaceId, projectId, size: 'small' as const, tool: 'jupyterlab' as const, namespace };
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
    for (const runner of [moduleRef.get(OutputListingRunner), moduleRef.get(OutputCollectionRunner)]) {
      runner.pollMs = 50;
      runner.graceMs = 500;
    }
    await moduleRef.init();
    worker = moduleRef;
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await fake?.close();
  });

  it('lists the files with their records in the Job the worker runs, then the grant is dead and the objects gone', async () => {
    kubelet.behaviour = { mode: 'collect' };
    mkdirSync(join(volume(), 'tables'), { recursive: true });
    writeFileSync(join(volume(), 'tables', 'admissions.csv'), 'age,n\nyoung,12\n');
    writeFileSync(join(volume(), 'tables', 'admissions.csv.record.json'), '{}');
    symlinkSync('/etc/passwd', join(volume(), 'passwd.txt'));

    const before = await alice.get(`/workspaces/${workspaceId}/outputs`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ runner: 'kubernetes', files: [], listedAt: null, pending: null });

    const started = await alice.post(listings(), {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ runner: 'kubernetes', started: true });
    const queued = started.body.listing as ListingBody;
    expect(queued).toMatchObject({ state: 'queued', settled: false, files: null });
    expect(queued.steps.map((s) => [s.name, s.state])).toEqual(
      COLLECTOR_RUN_STEP_NAMES.map((name) => [name, 'pending']),
    );

    const listing = await settled(queued.id);
    expect(listing.error).toBeNull();
    expect(listing.state).toBe('succeeded');
    expect(listing.steps.map((s) => [s.name, s.state])).toEqual(
      COLLECTOR_RUN_STEP_NAMES.map((name) => [name, 'done']),
    );
    expect(listing.files).toEqual([
      {
        path: 'tables/admissions.csv',
        sizeBytes: 15,
        modifiedAt: expect.any(String) as string,
        recordPath: 'tables/admissions.csv.record.json',
      },
      {
        path: 'tables/admissions.csv.record.json',
        sizeBytes: 2,
        modifiedAt: expect.any(String) as string,
        recordPath: null,
      },
    ]);
    expect(listing.skipped).toEqual([{ path: 'passwd.txt', reason: 'a symbolic link' }]);

    // One pod, in the row's namespace, in list mode, with the Secret's token; the grant names this listing only.
    const grant = await grantOf(listing.id);
    const names = collectorObjectNames(grant.id);
    const [pod, ...others] = kubelet.pods.filter((p) => p.job === names.job);
    expect(others).toEqual([]);
    expect(pod.namespace).toBe(namespace);
    expect(pod.env.TRE_OUTPUT_LISTING_ID).toBe(listing.id);
    expect(pod.env.TRE_OUTPUT_REQUEST_ID).toBeUndefined();
    expect(grant).toMatchObject({ listing_id: listing.id, request_id: null });
    expect(grant.token_hash).toBe(sha256(pod.env.TRE_COLLECT_TOKEN));
    expect(grant.spent_at).not.toBeNull();
    const claim = await driver().get('PersistentVolumeClaim', namespace, 'outputs');
    expect(listing.origin).toEqual({
      namespace,
      claimUid: claim?.metadata.uid,
      jobUid: pod.jobUid,
      runner: 'kubernetes',
    });

    // Cleaned up: no collector object anywhere, each written once and deleted; the token dead.
    expect(collectorObjects()).toEqual([]);
    const job = `/apis/batch/v1/namespaces/${namespace}/jobs/${names.job}`;
    expect(
      fake.calls().filter((c) => c.method === 'DELETE' && c.path === job && c.outcome === 200),
    ).toHaveLength(1);
    const again = await intake(listing.id, pod.env.TRE_COLLECT_TOKEN, {
      files: [],
      skipped: [],
      truncated: false,
    });
    expect(again.status).toBe(401);
    expect(JSON.stringify(fake.objects())).not.toContain(pod.env.TRE_COLLECT_TOKEN);

    // The workspace's outputs now answer with this listing and its age.
    const after = await alice.get(`/workspaces/${workspaceId}/outputs`);
    expect(after.body).toMatchObject({
      runner: 'kubernetes',
      listingId: listing.id,
      listedAt: expect.any(String) as string,
      ageSeconds: expect.any(Number) as number,
      pending: null,
    });
    expect((after.body as ListingBody).files).toEqual(listing.files);
  }, 60_000);

  it('a second start while one runs answers that one; a Job past its deadline fails the listing, cleaned up', async () => {
    kubelet.behaviour = { mode: 'hang' };
    const first = await alice.post(listings(), {});
    expect(first.status).toBe(202);
    const second = await alice.post(listings(), {});
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ started: false, listing: { id: first.body.listing.id } });
    const pending = await alice.get(`/workspaces/${workspaceId}/outputs`);
    expect(pending.body.pending).toMatchObject({ id: first.body.listing.id, settled: false });
    const listing = await settled(first.body.listing.id as string);
    expect(listing).toMatchObject({
      state: 'failed',
      files: null,
      error: `the collector Job did not finish within its deadline of ${DEADLINE_SECONDS} s`,
    });
    expect(listing.steps.find((s) => s.name === 'clean-up')?.state).toBe('done');
    expect((await grantOf(listing.id)).revoked_at).not.toBeNull();
    expect(collectorObjects()).toEqual([]);
    kubelet.behaviour = { mode: 'collect' };
  }, 60_000);

  it('a listing with a bad path is refused at the intake: the listing fails with the reason, the token is spent', async () => {
    for (const [bad, why] of [
      [
        { path: '../etc/passwd', sizeBytes: 1, modifiedAt: new Date().toISOString(), recordPath: null },
        /leaves the outputs folder/,
      ],
      [
        { path: '/etc/passwd', sizeBytes: 1, modifiedAt: new Date().toISOString(), recordPath: null },
        /absolute path/,
      ],
      [
        { path: 'a.csv', sizeBytes: 1, modifiedAt: new Date().toISOString(), recordPath: 'b.json' },
        /its record must be/,
      ],
    ] as const) {
      const { listingId, token } = await listingWithGrant();
      const refused = await intake(listingId, token, { files: [bad], skipped: [], truncated: false });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(why);
      const [row] = await db().query<{ error: string; listing: unknown }[]>(
        'SELECT error, listing FROM output_listings WHERE id = $1',
        [listingId],
      );
      expect(row.error).toMatch(/^the intake refused the collector's listing: /);
      expect(row.listing).toBeNull();
      // Used once: the same token cannot try again.
      expect((await intake(listingId, token, { files: [], skipped: [], truncated: false })).status).toBe(401);
      await unsettle();
    }
    // A shape the collector never sends is a 400 before anything is recorded.
    const { listingId, token } = await listingWithGrant();
    const malformed = await intake(listingId, token, {
      files: [{ path: 'a.csv', sizeBytes: -1 }],
      skipped: [],
      truncated: false,
    });
    expect(malformed.status).toBe(400);
    await grants().revokeGrant((await grantOf(listingId)).id);
    await unsettle();
  }, 60_000);

  it('the listing intake takes only a live token of its own listing, never a person’s or an add grant’s', async () => {
    const empty = { files: [], skipped: [], truncated: false };
    const valid = await listingWithGrant();
    await unsettle();
    const other = await listingWithGrant();
    await unsettle();
    const expired = await listingWithGrant();
    await db().query(
      `UPDATE output_collect_grants SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expired.grantId],
    );
    await unsettle();
    const [request] = await db().query<{ id: string }[]>(
      `INSERT INTO output_requests (project_id, author_id, title, status) VALUES ($1, $2, 'add grant', 'draft') RETURNING id`,
      [projectId, randomUUID()],
    );
    const addGrant = await grants().issue(
      {
        requestId: request.id,
        projectId,
        requestedBy: 'alice',
        items: [{ path: 'a.csv', recordPath: null, context: null, controls: null }],
        origin: origin(randomUUID()),
      },
      60,
    );
    const person = await t.env.token('alice', ['researcher', 'admin']);
    for (const [what, listingId, token] of [
      ["another listing's", valid.listingId, other.token],
      ['expired', expired.listingId, expired.token],
      ["an add grant's", valid.listingId, addGrant.token],
      ["a person's", valid.listingId, person],
      ['unknown', valid.listingId, `trec_${'x'.repeat(43)}`],
    ] as const) {
      const answer = await intake(listingId, token, empty);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
    }
    // A listing grant opens no add-mode route.
    const plan = await fetch(`${baseUrl}/output-intake/${request.id}/plan`, {
      headers: { authorization: `Bearer ${valid.token}` },
    });
    expect(plan.status).toBe(401);
    // Until the worker has recorded the Job's uid, the collector is told to wait (503), nothing spent.
    const early = await listingWithGrant(null);
    const waiting = await intake(early.listingId, early.token, empty);
    expect(waiting.status).toBe(503);
    await grants().setOrigin(early.grantId, { jobUid: randomUUID() });
    expect((await intake(early.listingId, early.token, empty)).status).toBe(200);
    await unsettle();
    const [audited] = await db().query<{ n: string }[]>(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'output.collect_denied' AND subject_type = 'workspace' AND subject_id = $1`,
      [workspaceId],
    );
    expect(Number(audited.n)).toBeGreaterThanOrEqual(2);
    for (const g of [valid, other, addGrant]) await grants().revokeGrant(g.grantId);
  }, 60_000);

  it('a listing is seen only by the workspace’s members; client mistakes are 4xx; a workspace not ready is 409', async () => {
    const started = await alice.post(listings(), {});
    const id = started.body.listing.id as string;
    expect((await zed.post(listings(), {})).status).toBe(404);
    expect((await zed.get(`${listings()}/${id}`)).status).toBe(404);
    expect((await zed.get(`/workspaces/${workspaceId}/outputs`)).status).toBe(404);
    expect((await alice.get(`${listings()}/${randomUUID()}`)).status).toBe(404);
    expect((await alice.get(`${listings()}/not-a-uuid`)).status).toBe(400);
    expect((await alice.get(`/workspaces/${randomUUID()}/outputs/listings/${id}`)).status).toBe(404);
    await settled(id);
    await db().query(`UPDATE workspaces SET state = 'deprovisioning' WHERE id = $1`, [workspaceId]);
    try {
      const refused = await alice.post(listings(), {});
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/The workspace is deprovisioning/);
    } finally {
      await db().query(`UPDATE workspaces SET state = 'ready' WHERE id = $1`, [workspaceId]);
    }
  }, 60_000);

  it('`tre outputs files` follows the listing’s steps, then prints the files', async () => {
    kubelet.behaviour = { mode: 'collect' };
    writeFileSync(join(volume(), 'cli.txt'), 'listed from the CLI\n');
    const token = await t.env.token('alice', ['researcher']);
    const out: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    process.env.TRE_POLL_MS = '50';
    let code: number;
    try {
      code = await runCli([
        'node',
        'tre',
        'outputs',
        'files',
        '--workspace',
        workspaceId,
        '--api',
        baseUrl,
        '--token',
        token,
      ]);
    } finally {
      stdout.mockRestore();
      delete process.env.TRE_POLL_MS;
    }
    const text = out.join('');
    expect(code).toBe(0);
    expect(text).toMatch(/^listing [0-9a-f-]+: a collector Job/m);
    for (const name of COLLECTOR_RUN_STEP_NAMES) expect(text).toMatch(new RegExp(`  ${name}: done`));
    expect(text).toMatch(/^cli\.txt {2}20 bytes {2}modified /m);
    expect(text).toMatch(/^skipped passwd\.txt: a symbolic link$/m);
  }, 60_000);

  it('a collection or listing left running before its grant was issued is resumed by the convergence sweep', async () => {
    kubelet.behaviour = { mode: 'collect' };
    writeFileSync(join(volume(), 'stuck.txt'), 'the worker died before the grant\n');
    const [request] = await db().query<{ id: string }[]>(
      `INSERT INTO output_requests (project_id, author_id, title, status) VALUES ($1, $2, 'stuck', 'draft') RETURNING id`,
      [projectId, randomUUID()],
    );
    // As a worker leaves them when it dies in the first step: running, no grant, the step begun.
    const begun = (names: readonly string[]) =>
      JSON.stringify(
        names.map((name, i) =>
          i === 0 ? { ...pendingStep(name), state: 'running', attempts: 1 } : pendingStep(name),
        ),
      );
    const [collection] = await db().query<{ id: string }[]>(
      `INSERT INTO output_collections (request_id, project_id, workspace_id, requested_by, runner, state, items, steps, updated_at)
       VALUES ($1, $2, $3, 'alice', 'kubernetes', 'running', $4, $5, now() - interval '5 minutes') RETURNING id`,
      [
        request.id,
        projectId,
        workspaceId,
        JSON.stringify([{ path: 'stuck.txt', recordPath: null, context: null, controls: null }]),
        begun(COLLECTION_STEP_NAMES),
      ],
    );
    const [listing] = await db().query<{ id: string }[]>(
      `INSERT INTO output_listings (project_id, workspace_id, requested_by, runner, state, steps, updated_at)
       VALUES ($1, $2, 'alice', 'kubernetes', 'running', $3, now() - interval '5 minutes') RETURNING id`,
      [projectId, workspaceId, begun(COLLECTOR_RUN_STEP_NAMES)],
    );
    const report = await worker.get(ConvergenceSweep).sweep();
    expect(report.requeued).toEqual(
      expect.arrayContaining([`outputs.collect: ${collection.id}`, `outputs.list: ${listing.id}`]),
    );
    const resumed = await settled(listing.id);
    expect(resumed.state).toBe('succeeded');
    expect(resumed.files?.map((f) => f.path)).toContain('stuck.txt');
    const collected = await eventually(
      async () => {
        const [row] = await db().query<{ state: string }[]>(
          'SELECT state FROM output_collections WHERE id = $1',
          [collection.id],
        );
        return row.state === 'succeeded' || row.state === 'failed' ? row.state : undefined;
      },
      30_000,
      'the resumed collection to settle',
    );
    expect(collected).toBe('succeeded');
    // A fresh running one (its worker may be on it) is left alone.
    const [fresh] = await db().query<{ id: string }[]>(
      `INSERT INTO output_listings (project_id, workspace_id, requested_by, runner, state, steps)
       VALUES ($1, $2, 'alice', 'kubernetes', 'running', $3) RETURNING id`,
      [projectId, workspaceId, begun(COLLECTOR_RUN_STEP_NAMES)],
    );
    expect((await worker.get(ConvergenceSweep).sweep()).requeued).not.toContain(`outputs.list: ${fresh.id}`);
    await unsettle();
  }, 60_000);

  it('the reconciler removes what a dead worker left of a listing, and fails it', async () => {
    const { listingId, grantId, token } = await listingWithGrant();
    const spec = { workspaceId, projectId, size: 'small' as const, tool: 'jupyterlab' as const, namespace };
    await db().query(`UPDATE output_listings SET steps = $2 WHERE id = $1`, [
      listingId,
      JSON.stringify(COLLECTOR_RUN_STEP_NAMES.map(pendingStep)),
    ]);
    const options = { grantId, listingId, activeDeadlineSeconds: 60 };
    await driver().create(buildCollectorTokenSecret(spec, settings, { grantId, token }));
    await driver().apply(buildCollectorEgressPolicy(spec, settings, options));
    await driver().apply(buildCollectorJob(spec, settings, options));
    expect(collectorObjects()).toHaveLength(3);
    await db().query(
      `UPDATE output_collect_grants SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [grantId],
    );
    const report = await worker.get(WorkspaceReconciler).reconcile();
    const names = collectorObjectNames(grantId);
    expect(
      report.repairs
        .filter((r) => r.what === 'leftover')
        .map((r) => `${r.kind}/${r.name}`)
        .sort(),
    ).toEqual([`Job/${names.job}`, `NetworkPolicy/${names.policy}`, `Secret/${names.secret}`].sort());
    expect(collectorObjects()).toEqual([]);
    const [row] = await db().query<
      { state: string; error: string; steps: { name: string; state: string }[] }[]
    >('SELECT state, error, steps FROM output_listings WHERE id = $1', [listingId]);
    expect(row.state).toBe('failed');
    expect(row.error).toMatch(/worker running this listing stopped/);
    expect(row.steps.find((s) => s.name === 'clean-up')?.state).toBe('done');
  }, 60_000);
});
