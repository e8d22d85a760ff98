import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEMO_PEOPLE, type Role } from '@tre/auth';
import { OutputCollectionRunner, OutputListingRunner } from '@tre/outputs';
import { startFakeKube, type FakeKube } from '@tre/testing';
import {
  CLUSTER_DRIVER,
  WORKSPACE_SETTINGS,
  buildNamespace,
  buildOutputsClaim,
  type ClusterDriver,
  type WorkspaceSettings,
} from '@tre/workspaces';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { CollectorKubelet } from '../support/collector-kubelet';
import { approvedProject } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { reservedPort } from '../support/test-worker';
import {
  assertWebAppBuilt,
  expectAccessible,
  launchChromium,
  watchForeignRequests,
} from '../support/web-browser';

jest.setTimeout(240_000);

/**
 * The researcher's output request page with a cluster attached (the fake Kubernetes API; the test plays the
 * kubelet running the real `tre workspace collect`): the page starts a listing when the workspace has none,
 * follows the collector Job's steps, shows the files it found and their age, lists again on request, and adds
 * a listed file through a collection it follows too. axe-core checks each state; elements by role and name.
 */
describe('web app: a workspace’s outputs with a cluster attached', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeKube;
  let browser: Browser;
  let apiUrl: string;
  let alice: Caller;
  let namespace: string;
  let requestId: string;
  const foreign: string[] = [];
  const kubelet = new CollectorKubelet();

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const db = () => t.app.get(DataSource);

  beforeAll(async () => {
    assertWebAppBuilt();
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
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-web-list-store-')),
      // The worker below serves its health on this port: two files running at once must not share 3001.
      WORKER_PORT: '0',
    });
    await reserved.release();
    await t.app.listen(apiPort, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const settings = t.app.get<WorkspaceSettings>(WORKSPACE_SETTINGS);
    alice = await person(DEMO_PEOPLE.researcher.subject, ['researcher']);
    const projectId = await approvedProject(
      alice,
      await person(DEMO_PEOPLE.custodian.subject, ['data_custodian']),
      [
        await person(DEMO_PEOPLE.reviewer.subject, ['dac_member']),
        await person(DEMO_PEOPLE.secondReviewer.subject, ['dac_member']),
      ],
    );
    const workspaceId = randomUUID();
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
    const driver = t.app.get<ClusterDriver>(CLUSTER_DRIVER);
    await driver.apply(buildNamespace(spec, settings));
    await driver.apply(buildOutputsClaim(spec, settings));
    mkdirSync(join(kubelet.volumeOf(namespace), 'tables'), { recursive: true });
    writeFileSync(join(kubelet.volumeOf(namespace), 'tables', 'notes.txt'), 'Counts of admissions.\n');
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    for (const runner of [moduleRef.get(OutputListingRunner), moduleRef.get(OutputCollectionRunner)]) {
      runner.pollMs = 100;
      runner.graceMs = 1_000;
    }
    await moduleRef.init();
    worker = moduleRef;
    requestId = (await alice.post('/outputs', { projectId, title: 'From the cluster' })).body.id as string;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await fake?.close();
    expect(foreign).toEqual([]);
  });

  it('lists through the collector Job, shows the age, lists again, and adds a listed file', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page: Page = await context.newPage();
    foreign.push(...watchForeignRequests(page, [apiUrl]));
    await page.goto(
      `${apiUrl}/app/sign-in?returnTo=${encodeURIComponent(`/researcher/outputs/${requestId}`)}`,
    );
    await page.getByRole('button', { name: `Sign in as ${DEMO_PEOPLE.researcher.name}` }).click();

    // No listing yet: the page starts one, and shows the worker's steps until the files arrive.
    await page.getByRole('list', { name: 'Listing steps' }).waitFor();
    await expectAccessible(page, 'the listing under way');
    await page.getByRole('button', { name: 'Add tables/notes.txt' }).waitFor({ timeout: 60_000 });
    await page.getByText(/Files as your workspace's collector listed them just now/).waitFor();
    await expectAccessible(page, 'the files the collector listed');

    // A file written since is there only once the researcher lists again.
    writeFileSync(join(kubelet.volumeOf(namespace), 'method.txt'), 'How the counts were made.\n');
    expect(await page.getByRole('button', { name: 'Add method.txt' }).count()).toBe(0);
    await page.getByRole('button', { name: 'List the files again' }).click();
    await page.getByRole('button', { name: 'Add method.txt' }).waitFor({ timeout: 60_000 });

    // Adding a listed file is a collection in the cluster, followed to its end.
    await page.getByRole('button', { name: 'Add method.txt' }).click();
    await page.getByRole('status').filter({ hasText: 'Added method.txt to the request.' }).waitFor({
      timeout: 60_000,
    });
    await expectAccessible(page, 'a file added from the listing');
    const files = (await alice.get(`/outputs/${requestId}`)).body as { fileList: { fileName: string }[] };
    expect(files.fileList.map((f) => f.fileName)).toEqual(['method.txt']);
    await context.close();
  });
});
