import type { Role } from '@tre/auth';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import {
  deriveProjectKey,
  loadMasterKey,
  NHS_NUMBER_DOMAIN,
  pseudonymise,
  samplePopulation,
  seedDatasets,
  seedSources,
} from '@tre/datasets';
import { application, caller, callerAs, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { loadOptOutList } from '../support/opt-outs';

interface ExtractBody {
  id: string;
  status: string;
  failureReason: string | null;
  steps: { name: string; state: string }[];
  manifest: { files: { file: string; rows: number; sha256: string }[] } & Record<string, unknown>;
}

const PEOPLE = 600;
const SEED = 11;

/**
 * Extracts end to end: seeded sources with known opt-outs and identifiers, approval over HTTP, the outbox
 * starting the worker's extract job, and the files checked as a recipient would.
 */
describe('extracts', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let alice: Caller;
  let dev: Caller;
  let dora: Caller;
  let ada: Caller;
  let storeDir: string;
  let keyFile: string;
  const sample = samplePopulation({ people: PEOPLE, seed: SEED }, 40).filter(
    (p) => p.gpNhsNumber === p.nhsNumber,
  );
  const nationalOptOuts = sample.slice(0, 5).map((p) => p.nhsNumber);
  const type1OptOuts = sample.slice(5, 8).map((p) => p.nhsNumber);

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'tre-extracts-'));
    keyFile = join(mkdtempSync(join(tmpdir(), 'tre-key-')), 'master.key');
    t = await startTestApp({
      WORKER_PORT: '0',
      EXTRACT_STORE_DIR: storeDir,
      PSEUDONYMISATION_KEY_FILE: keyFile,
      EXTRACT_MIN_K: '5',
    });
    await seedSources(t.env.database.url, { people: PEOPLE, seed: SEED });
    worker = await startTestWorker();
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    alice = await as('alice', ['researcher']);
    dev = await as('dev', ['dac_member']);
    dora = await as('dora', ['dac_member']);
    ada = await as('ada', ['admin']);
    const cara = await as('cara', ['data_custodian']);
    for (const dataset of seedDatasets()) expect((await cara.post('/datasets', dataset)).status).toBe(201);
    await loadOptOutList(t.app, 'national', nationalOptOuts);
    await loadOptOutList(t.app, 'type1', type1OptOuts);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const approve = async (datasets: { datasetCode: string; fields: string[]; legalBasis: string }[]) => {
    const id = (await alice.post('/projects', application({ members: [], datasets }))).body.id as string;
    expect((await alice.post(`/projects/${id}/submit`)).status).toBe(204);
    await dev.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    expect(
      (await dora.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' })).body.status,
    ).toBe('approved');
    return id;
  };
  const finished = (projectId: string) =>
    eventually(
      async () => {
        const [extract] = (await alice.get(`/projects/${projectId}/extracts`)).body.items as ExtractBody[];
        return extract && ['ready', 'failed'].includes(extract.status) ? extract : undefined;
      },
      60_000,
      `the extract of ${projectId}`,
    );
  const rowsOf = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));

  const linked = [
    { datasetCode: 'GP_REGISTRATIONS', fields: ['nhs_number', 'sex', 'practice_code'], legalBasis: 's251' },
    { datasetCode: 'HES_APC', fields: ['nhs_number', 'admission_date', 'diagnosis'], legalBasis: 's251' },
  ];
  let first: { projectId: string; extract: ExtractBody };

  it('builds the extract of an approved project: opt-outs removed, pseudonyms linked, files checksummed', async () => {
    const projectId = await approve(linked);
    const extract = await finished(projectId);
    expect(extract.failureReason).toBeNull();
    expect(extract.status).toBe('ready');
    expect(extract.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      'check sources:done',
      'load opt-outs:done',
      'extract GP_REGISTRATIONS:done',
      'extract HES_APC:done',
      'gate:done',
      'deliver:done',
    ]);
    first = { projectId, extract };
    const dir = join(storeDir, projectId, extract.id);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(extract.manifest);
    for (const file of manifest.files) {
      const bytes = readFileSync(join(dir, file.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect(bytes.toString('utf8').trim().split('\n')).toHaveLength(file.rows + 1);
    }
    // GP data is GP-sourced: both lists apply to an s251 flow; hospital data: only the national list.
    expect(manifest.counts.GP_REGISTRATIONS.optedOut).toEqual({ national: 5, type1: 3 });
    expect(manifest.counts.HES_APC.optedOut.type1).toBeUndefined();
    // People, not rows: the five nationally opted-out people are removed from both datasets (several
    // hospital rows each) and counted once; the public register shows them only as "fewer than 10".
    expect(manifest.optedOutPeople).toEqual({ national: 5, type1: 3 });
    const register = await request(t.app.getHttpServer()).get('/register');
    const entry = register.body.items.find((e: { id: string }) => e.id === projectId);
    expect(entry.optOuts.map((o: { peopleRemoved: unknown }) => o.peopleRemoved)).toEqual([
      { rounded: null, text: 'fewer than 10' },
      { rounded: null, text: 'fewer than 10' },
    ]);
    expect(manifest.counts.GP_REGISTRATIONS.invalidIdentifier).toBeGreaterThan(0);
    expect(manifest.gate.passed).toBe(true);
  });

  it('holds no opted-out person and no identifier, and links each person across datasets', async () => {
    const dir = join(storeDir, first.projectId, first.extract.id);
    const key = deriveProjectKey(await loadMasterKey(keyFile, false), first.projectId, 1);
    const gp = rowsOf(join(dir, 'GP_REGISTRATIONS.csv'));
    const hes = rowsOf(join(dir, 'HES_APC.csv'));
    const gpPseudonyms = new Set(gp.map((row) => row[0]));
    for (const nhs of [...nationalOptOuts]) {
      expect(gpPseudonyms.has(pseudonymise(key, NHS_NUMBER_DOMAIN, nhs))).toBe(false);
      expect(hes.some((row) => row[0] === pseudonymise(key, NHS_NUMBER_DOMAIN, nhs))).toBe(false);
    }
    for (const nhs of type1OptOuts)
      expect(gpPseudonyms.has(pseudonymise(key, NHS_NUMBER_DOMAIN, nhs))).toBe(false);
    const kept = sample.slice(8).map((p) => pseudonymise(key, NHS_NUMBER_DOMAIN, p.nhsNumber));
    expect(kept.every((p) => gpPseudonyms.has(p))).toBe(true);
    expect(hes.filter((row) => gpPseudonyms.has(row[0])).length).toBeGreaterThan(0);
    const everything = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const person of sample) {
      expect(everything).not.toContain(person.nhsNumber);
      expect(everything).not.toContain(person.fullName);
    }
  });

  it('gives the same person different pseudonyms in another project', async () => {
    const projectId = await approve(linked);
    const extract = await finished(projectId);
    expect(extract.status).toBe('ready');
    const mine = new Set(
      rowsOf(join(storeDir, first.projectId, first.extract.id, 'GP_REGISTRATIONS.csv')).map((r) => r[0]),
    );
    const theirs = rowsOf(join(storeDir, projectId, extract.id, 'GP_REGISTRATIONS.csv')).map((r) => r[0]);
    expect(theirs.length).toBe(mine.size);
    expect(theirs.filter((p) => mine.has(p))).toEqual([]);
  });

  it('fails closed when the gate finds quasi-identifier groups smaller than k, delivering nothing', async () => {
    const projectId = await approve([
      {
        datasetCode: 'GP_REGISTRATIONS',
        fields: ['nhs_number', 'date_of_birth', 'postcode', 'sex'],
        legalBasis: 'consent',
      },
    ]);
    const extract = await finished(projectId);
    expect(extract.status).toBe('failed');
    expect(extract.failureReason).toMatch(
      /the extract is not 5-anonymous over GP_REGISTRATIONS.date_of_birth, GP_REGISTRATIONS.postcode, GP_REGISTRATIONS.sex: \d+ group\(s\) of people/,
    );
    expect(extract.steps.find((s) => s.name === 'gate')?.state).toBe('failed');
    expect(existsSync(join(storeDir, projectId, extract.id))).toBe(false);
    const timeline = (await alice.get(`/projects/${projectId}/timeline?pageSize=200`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(timeline.slice(-2)).toEqual(['extract.started', 'extract.failed']);
  });

  it('refuses to build an extract for a project without an approval (409)', async () => {
    const id = (await alice.post('/projects', application({ members: [] }))).body.id as string;
    const response = await ada.post(`/projects/${id}/extracts`);
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/no approval in force/);
  });

  it('fails at its first step, with the reason, when a source table does not exist', async () => {
    const cara = caller(t.app, 'cara', await t.env.token('cara', ['data_custodian']));
    const ghost = {
      ...seedDatasets()[2],
      code: 'GHOST_DEATHS',
      source: { table: 'no_such_table', personIdColumn: 'nhs_number' },
    };
    expect((await cara.post('/datasets', ghost)).status).toBe(201);
    const projectId = await approve([
      { datasetCode: 'GHOST_DEATHS', fields: ['nhs_number'], legalBasis: 'consent' },
    ]);
    const extract = await finished(projectId);
    expect(extract.status).toBe('failed');
    expect(extract.failureReason).toBe(
      'GHOST_DEATHS: source table source.no_such_table does not exist or cannot be read',
    );
    expect(extract.steps[0]).toMatchObject({ name: 'check sources', state: 'failed' });
  });
});
