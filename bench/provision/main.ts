import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { JobQueue, migrate } from '@tre/core';
import { startFakeKube, type FakeKube, type FakeKubeCall } from '@tre/testing/fake-kube';
import {
  desiredWorkspaceObjects,
  LOAD_TOKEN_ISSUER,
  LoadGrantsService,
  WORKSPACE_OBJECT_NAMES,
  WORKSPACE_SETTINGS,
  WorkspaceProvisioner,
  type WorkspaceSettings,
  type WorkspaceSize,
  type WorkspaceStep,
  type WorkspaceTool,
} from '@tre/workspaces';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { LoaderStandIn } from './loader-stand-in';

/**
 * Provisioning at scale: 200 approved projects (BENCH_PROVISION_WORKSPACES) each get a workspace through the
 * real worker (the `workspaces` queue on Redis, the provisioner, its step journal on PostgreSQL, real extract
 * rows and load grants) against the fake Kubernetes API answering every call after 20 ms and 5% of them with
 * a 500. Target: all ready, nothing created twice, under 30 s at WORKSPACE_PROVISION_CONCURRENCY=10.
 *
 * Stood in: the cluster (the fake API, in this process), and the loader Job's pod, which the fake cluster
 * cannot run: LoaderStandIn presents each grant's token and reports the load done, as `tre workspace load`
 * would after verifying the files, and the fake reports the Job succeeded. Retry, backoff, timeout and poll
 * settings are the production defaults unless BENCH_PROVISION_POLL_MS or the WORKSPACE_* variables say otherwise.
 * Fails when a workspace is not ready, an approval has two workspaces, or a workspace object was created twice;
 * the loader's per-attempt objects made again for a retried load are counted apart (see LOADER_PATHS).
 */
const WORKSPACES = Number(process.env.BENCH_PROVISION_WORKSPACES ?? 200);
const CONCURRENCY = process.env.WORKSPACE_PROVISION_CONCURRENCY ?? '10';
const POLL_MS = process.env.BENCH_PROVISION_POLL_MS;
const LATENCY_MS = 20;
const FAULT_RATE = 0.05;
const TARGET_SECONDS = 30;
const GIVE_UP_SECONDS = 600;
const SIZES = ['small', 'medium', 'large'];
const TOOLS = ['jupyterlab', 'rstudio', 'code-server'];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function recreateDatabase(): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tre_bench_provision WITH (FORCE)');
  await admin.end();
  const url = new URL('/tre_bench_provision', server).toString();
  await migrate(url);
  return url;
}

/** Approved projects with their workspace choice and a ready extract, written directly (as the e2e tests do). */
async function seedApprovedProjects(db: Client): Promise<string[]> {
  const approvals: string[] = [];
  await db.query('BEGIN');
  for (let i = 0; i < WORKSPACES; i++) {
    const [projectId, approvalId] = [randomUUID(), randomUUID()];
    const workspace = { size: SIZES[i % SIZES.length], tool: TOOLS[i % TOOLS.length] };
    await db.query(
      `INSERT INTO projects (id, title, lay_summary, scientific_purpose, public_benefit, organisation, lead_id, status, requested_end_date, end_date, approved_at)
       VALUES ($1, $2, 'lay', 'purpose', 'benefit', 'Benchmark', $3, 'approved', '2099-01-01', '2099-01-01', now())`,
      [projectId, `Provisioning benchmark ${i}`, randomUUID()],
    );
    await db.query(
      `INSERT INTO project_approvals (id, project_id, approval_version, application_version, datasets, conditions, end_date, approver_ids, approved_at, workspace)
       VALUES ($1, $2, 1, 1, '[]', '{}', '2099-01-01', '{}', now(), $3)`,
      [approvalId, projectId, JSON.stringify(workspace)],
    );
    await db.query(
      `INSERT INTO extracts (project_id, approval_id, status, key_version, manifest) VALUES ($1, $2, 'ready', 1, '{"files": []}')`,
      [projectId, approvalId],
    );
    approvals.push(approvalId);
  }
  await db.query('COMMIT');
  return approvals;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

interface WorkspaceRow {
  id: string;
  project_id: string;
  size: WorkspaceSize;
  tool: WorkspaceTool;
  namespace: string;
  state: string;
  steps: WorkspaceStep[];
  created_at: Date;
  updated_at: Date;
}

/** Objects missing from, or left beside, each ready workspace's desired set (the loader's Job, Secret, way out). */
function steadyStateDifferences(fake: FakeKube, rows: WorkspaceRow[], settings: WorkspaceSettings): number {
  const stored = new Map<string, Set<string>>();
  for (const object of fake.objects()) {
    const metadata = object.metadata as { name: string; namespace?: string };
    const namespace = object.kind === 'Namespace' ? metadata.name : (metadata.namespace ?? '');
    const refs = stored.get(namespace) ?? new Set<string>();
    refs.add(`${String(object.kind)}/${metadata.name}`);
    stored.set(namespace, refs);
  }
  let differences = 0;
  for (const row of rows.filter((r) => r.state === 'ready')) {
    const spec = { workspaceId: row.id, projectId: row.project_id, size: row.size, tool: row.tool };
    const desired = new Set(
      desiredWorkspaceObjects(spec, settings).map((o) => `${o.kind}/${o.metadata.name}`),
    );
    const live = stored.get(row.namespace) ?? new Set<string>();
    for (const ref of desired) if (!live.has(ref)) differences++;
    for (const ref of live) if (!desired.has(ref)) differences++;
  }
  return differences;
}

/**
 * The loader's objects live for one load attempt: the token Secret carries a one-time grant and the way out is
 * closed whenever an attempt ends, so a retried load makes them again under a new grant by design.
 */
const LOADER_PATHS = [
  /\/secrets$/,
  new RegExp(`/networkpolicies/${WORKSPACE_OBJECT_NAMES.loaderEgressPolicy}$`),
  /\/jobs\/load-extract-[^/]+$/,
];

/** Paths the fake answered 201 Created for more than once: workspace objects made, lost and made again. */
function duplicateCreations(calls: FakeKubeCall[]): { workspace: number; loader: number } {
  const counts = new Map<string, number>();
  for (const call of calls) if (call.outcome === 201) counts.set(call.path, (counts.get(call.path) ?? 0) + 1);
  const repeated = [...counts].filter(([, count]) => count > 1).map(([path]) => path);
  const loader = repeated.filter((path) => LOADER_PATHS.some((pattern) => pattern.test(path))).length;
  return { workspace: repeated.length - loader, loader };
}

async function main(): Promise<number> {
  const databaseUrl = await recreateDatabase();
  const fake = await startFakeKube({
    jobs: 'succeed',
    faults: { seed: 6, rules: [{ latencyMs: LATENCY_MS }, { status: 500, probability: FAULT_RATE }] },
  });
  const queuePrefix = `tre-bench-provision-${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'silent',
    WORKSPACE_DRIVER: 'kubernetes',
    KUBECONFIG_PATH: fake.kubeconfigPath,
    WORKSPACE_PROVISION_CONCURRENCY: CONCURRENCY,
    WORKER_PORT: String(await freePort()),
    WORKSPACE_MANIFESTS_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-provision-manifests-')),
    EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-provision-extracts-')),
    OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-provision-outputs-')),
    PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-bench-provision-key-')), 'master.key'),
  });
  const loader = new LoaderStandIn(fake);
  const worker = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(LOAD_TOKEN_ISSUER)
    .useValue(loader)
    .compile();
  worker.useLogger(false);
  loader.attach(worker.get(LoadGrantsService), worker.get<WorkspaceSettings>(WORKSPACE_SETTINGS));
  const provisioner = worker.get(WorkspaceProvisioner);
  if (POLL_MS) provisioner.pollMs = Number(POLL_MS);
  await worker.init();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const approvals = await seedApprovedProjects(db);
    const firstCall = fake.calls().length;
    const jobs = worker.get(JobQueue);
    const started = process.hrtime.bigint();
    const startedAt = Date.now();
    await Promise.all(approvals.map((approvalId) => jobs.enqueue('workspaces.request', { approvalId })));
    let settled = 0;
    while (settled < WORKSPACES) {
      const { rows } = await db.query<{ settled: number }>(
        `SELECT count(*)::int AS settled FROM workspaces WHERE state IN ('ready', 'failed')`,
      );
      settled = rows[0].settled;
      if (Date.now() - startedAt > GIVE_UP_SECONDS * 1000) break;
      if (settled < WORKSPACES) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const total = Number(process.hrtime.bigint() - started) / 1e9;

    const { rows } = await db.query<WorkspaceRow>(
      `SELECT id, project_id, size, tool, namespace, state, steps, created_at, updated_at FROM workspaces`,
    );
    const ready = rows.filter((row) => row.state === 'ready');
    const failed = rows.filter((row) => row.state === 'failed').length;
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const fromRequest = sorted(ready.map((r) => (r.updated_at.getTime() - r.created_at.getTime()) / 1000));
    const operation = sorted(
      ready.map((r) => (r.updated_at.getTime() - Date.parse(r.steps[0]?.startedAt ?? '')) / 1000),
    );
    const stepRuns = rows.flatMap((row) => row.steps).reduce((sum, step) => sum + step.attempts, 0);
    const stepCount = rows.reduce((sum, row) => sum + row.steps.length, 0);
    const grants = await db.query<{ issued: number; live: number }>(
      `SELECT count(*)::int AS issued, count(*) FILTER (WHERE revoked_at IS NULL AND completed_at IS NULL)::int AS live FROM workspace_load_grants`,
    );
    const perApproval = await db.query<{ extra: number }>(
      `SELECT (count(*) - count(DISTINCT approval_id))::int AS extra FROM workspaces`,
    );
    const duplicateWorkspaces = perApproval.rows[0].extra;
    const calls = fake.calls().slice(firstCall);
    const duplicates = duplicateCreations(calls);
    const differences = steadyStateDifferences(fake, rows, worker.get<WorkspaceSettings>(WORKSPACE_SETTINGS));
    const namespaces = fake.objects('Namespace').length;
    const figures: [string, string, string][] = [
      ['provision_workspaces', String(WORKSPACES), 'workspaces'],
      ['provision_concurrency', CONCURRENCY, 'jobs at once (WORKSPACE_PROVISION_CONCURRENCY)'],
      ['provision_poll_interval', String(provisioner.pollMs), `ms${POLL_MS ? ' (tuned)' : ' (default)'}`],
      ['provision_ready', String(ready.length), 'workspaces'],
      ['provision_failed', String(failed), 'workspaces'],
      ['provision_duplicate_workspaces', String(duplicateWorkspaces), 'workspaces beyond one per approval'],
      ['provision_namespaces_in_cluster', String(namespaces), 'namespaces'],
      [
        'provision_duplicate_creations',
        String(duplicates.workspace),
        'workspace objects created more than once',
      ],
      [
        'provision_loader_objects_remade',
        String(duplicates.loader),
        'loader Secret/policy/Job paths made again for a retried load',
      ],
      ['provision_steady_state_differences', String(differences), 'objects missing or left over'],
      ['provision_api_calls', String(calls.length), `calls at ${LATENCY_MS} ms each`],
      ['provision_api_calls_per_workspace', (calls.length / WORKSPACES).toFixed(1), 'calls'],
      ['provision_injected_faults', String(calls.filter((c) => c.faultRule !== undefined).length), '500s'],
      ['provision_step_retries', String(stepRuns - stepCount), 'step runs beyond the first'],
      ['provision_load_grants', `${grants.rows[0].issued} issued, ${grants.rows[0].live}`, 'live'],
      ['provision_total', total.toFixed(2), `s (target < ${TARGET_SECONDS})`],
      ['provision_throughput', (ready.length / total).toFixed(2), 'workspaces/s'],
      [
        'provision_time_to_ready_p50',
        percentile(fromRequest, 50).toFixed(2),
        's from request, queue wait included',
      ],
      [
        'provision_time_to_ready_p95',
        percentile(fromRequest, 95).toFixed(2),
        's from request, queue wait included',
      ],
      ['provision_operation_p50', percentile(operation, 50).toFixed(2), 's from first step'],
      ['provision_operation_p95', percentile(operation, 95).toFixed(2), 's from first step'],
      ['provision_operation_max', (operation.at(-1) ?? NaN).toFixed(2), 's from first step'],
    ];
    for (const [name, value, unit] of figures) process.stdout.write(`${name}: ${value} ${unit}\n`);
    process.stdout.write(
      'provision_stood_in: the cluster (fake API in this process) and the loader pod (LoaderStandIn reports each load done)\n',
    );
    const problems = [
      ready.length < WORKSPACES ? `${WORKSPACES - ready.length} workspace(s) not ready` : '',
      duplicateWorkspaces ? `${duplicateWorkspaces} approval(s) with more than one workspace` : '',
      namespaces !== WORKSPACES ? `${namespaces} namespaces for ${WORKSPACES} workspaces` : '',
      duplicates.workspace ? `${duplicates.workspace} workspace object(s) created more than once` : '',
      differences ? `${differences} object(s) missing or left over` : '',
    ].filter(Boolean);
    if (problems.length) process.stderr.write(`provision benchmark: ${problems.join('; ')}\n`);
    for (const queue of jobs.allQueues()) await queue.obliterate({ force: true });
    return problems.length ? 1 : 0;
  } finally {
    await db.end().catch(() => undefined);
    await worker.close();
    await fake.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
