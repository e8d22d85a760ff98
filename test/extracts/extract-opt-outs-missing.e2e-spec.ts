import type { Role } from '@tre/auth';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { seedDatasets, seedSources } from '@tre/datasets';
import { application, callerAs } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';

/** An opt-out list that applies but was never loaded must stop the extract, not let everyone through. */
describe('extract without its opt-out lists', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let storeDir: string;

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'tre-extracts-'));
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: storeDir,
      PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key'),
    });
    await seedSources(t.env.database.url, { people: 50, seed: 3 });
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('fails at the opt-out step, naming the list, and delivers nothing', async () => {
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    const [alice, dev, dora, cara] = await Promise.all([
      as('alice', ['researcher']),
      as('dev', ['dac_member']),
      as('dora', ['dac_member']),
      as('cara', ['data_custodian']),
    ]);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
    const datasets = [{ datasetCode: 'DEATHS', fields: ['nhs_number', 'cause'], legalBasis: 's251' }];
    const id = (await alice.post('/projects', application({ members: [], datasets }))).body.id as string;
    await alice.post(`/projects/${id}/submit`);
    await dev.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    await dora.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    const extract = await eventually(async () => {
      const [found] = (await alice.get(`/projects/${id}/extracts`)).body.items as {
        status: string;
        failureReason: string;
      }[];
      return found?.status === 'failed' || found?.status === 'ready' ? found : undefined;
    });
    expect(extract).toMatchObject({
      status: 'failed',
      failureReason: 'the national opt-out list applies to this extract but has never been loaded',
    });
    expect(readdirSync(storeDir).flatMap((project) => readdirSync(join(storeDir, project)))).toEqual([]);
  });
});
