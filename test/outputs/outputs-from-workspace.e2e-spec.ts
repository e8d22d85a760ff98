import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role } from '@tre/auth';
import type { TableRecord } from '@tre/sdc';
import { runCli } from '../../apps/cli/src/run';
import { approvedProject } from '../support/output-fixtures';
import { caller, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { outputsFolder, readyWorkspaceOf } from '../support/workspace-outputs';

interface FileView {
  id: string;
  fileName: string;
  check: {
    status: string;
    evidence: { kind: string; message: string; source: { file: string } | null } | null;
    flags: { rule: string; outcome: string; cell: string | null; reason: string }[];
  } | null;
}
interface RequestView {
  status: string;
  round: number;
  fileList: FileView[];
}

const sha256 = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

/** Synthetic microdata: the extract file the project was given (every cell of age band by sex above 10). */
function microdata(): string {
  const lines = ['pseudo_id,age_band,sex,los'];
  const groups: [string, string, number][] = [
    ['0-15', 'F', 14],
    ['0-15', 'M', 17],
    ['16-64', 'F', 40],
    ['16-64', 'M', 33],
    ['65+', 'F', 21],
    ['65+', 'M', 12],
  ];
  let id = 0;
  for (const [age, sex, n] of groups)
    for (let i = 0; i < n; i++) lines.push(`p${++id},${age},${sex},${(id % 9) + 1}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Outputs leave only from the workspace, with evidence the airlock can verify, end to end over HTTP with the
 * worker's checks: the researcher builds a table with `tre sdc table` from a file of the extract (as loaded
 * into the workspace), writes it and its record into the outputs folder, lists and adds it by path; the check
 * rebuilds the table from the service's own copy of the extract ("verified against the extract"); two
 * checkers approve and the release manifest carries its provenance. A record that lies about a count blocks,
 * and so does the same table edited after `tre sdc` wrote it; a table from derived data is marked so.
 */
describe('outputs from the workspace, verified against the extract', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let alice: Caller;
  let olga: Caller;
  let oscar: Caller;
  let projectId: string;
  let workspaceId: string;
  let dataVolume: string;
  const EXTRACT_FILE = 'HES_APC.csv';

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const detail = async (id: string): Promise<RequestView> => (await alice.get(`/outputs/${id}`)).body;
  const checked = (id: string, round: number) =>
    eventually(
      async () => {
        const body = await detail(id);
        return body.round === round && ['blocked', 'in_review'].includes(body.status) ? body : undefined;
      },
      30_000,
      `request ${id} round ${round} to be checked`,
    );
  /** `tre sdc table` as the researcher runs it in the workspace: microdata in, table and record out. */
  const sdcTable = async (data: string, table: string, record: string): Promise<void> => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await runCli([
        'node',
        'tre',
        'sdc',
        'table',
        '--data',
        data,
        '--rows',
        'age_band',
        '--cols',
        'sex',
        '--suppress',
        '--write-table',
        table,
        '--write-record',
        record,
      ]);
      expect(code).toBe(0);
    } finally {
      out.mockRestore();
      process.exitCode = undefined;
    }
  };
  const newRequest = async (title: string): Promise<string> =>
    (await alice.post('/outputs', { projectId, title })).body.id as string;
  const addAndSubmit = async (id: string, path: string, round: number): Promise<RequestView> => {
    const added = await alice.post(`/outputs/${id}/paths`, {
      path,
      recordPath: `${path}.record.json`,
      context: 'admissions by age band and sex',
      controls: 'built with tre sdc table --suppress; no cell under 10',
    });
    expect(added.status).toBe(201);
    expect((await alice.post(`/outputs/${id}/submit`)).status).toBe(202);
    return checked(id, round);
  };

  beforeAll(async () => {
    const extractStore = mkdtempSync(join(tmpdir(), 'tre-extract-store-'));
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      EXTRACT_STORE_DIR: extractStore,
      EXTRACT_BUILD_DIR: mkdtempSync(join(extractStore, '..', 'tre-extract-build-')),
    });
    worker = await startTestWorker();
    alice = await person('alice', ['researcher']);
    olga = await person('olga', ['output_checker']);
    oscar = await person('oscar', ['output_checker']);
    projectId = await approvedProject(alice, await person('cara', ['data_custodian']), [
      await person('dev', ['dac_member']),
      await person('dora', ['dac_member']),
    ]);
    workspaceId = await readyWorkspaceOf(t, projectId);
    // The project's ready extract, as the pipeline leaves it (built and gated elsewhere: test/extracts).
    const content = microdata();
    const db = t.app.get(DataSource);
    const manifest = {
      files: [{ dataset: 'HES_APC', file: EXTRACT_FILE, rows: 137, sha256: sha256(content) }],
    };
    const [extract] = await db.query<{ id: string }[]>(
      // Under an approval of its own, so the worker's own extract of the approval (it has no sources here
      // and fails) never touches it.
      `INSERT INTO extracts (project_id, approval_id, status, key_version, manifest) VALUES ($1, $2, 'ready', 1, $3) RETURNING id`,
      [projectId, randomUUID(), JSON.stringify(manifest)],
    );
    mkdirSync(join(extractStore, projectId, extract.id), { recursive: true });
    writeFileSync(join(extractStore, projectId, extract.id, EXTRACT_FILE), content);
    // The workspace's data volume holds the same bytes (the loader checks each SHA-256: test/workspaces).
    dataVolume = mkdtempSync(join(tmpdir(), 'tre-data-volume-'));
    copyFileSync(join(extractStore, projectId, extract.id, EXTRACT_FILE), join(dataVolume, EXTRACT_FILE));
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('a table built with tre sdc from an extract file is listed, added, verified, reviewed and released with its provenance', async () => {
    const outputs = outputsFolder(workspaceId);
    mkdirSync(join(outputs, 'tables'), { recursive: true });
    await sdcTable(
      join(dataVolume, EXTRACT_FILE),
      join(outputs, 'tables', 'admissions.csv'),
      join(outputs, 'tables', 'admissions.csv.record.json'),
    );
    const record = JSON.parse(readFileSync(join(outputs, 'tables', 'admissions.csv.record.json'), 'utf8'));
    expect(record.source).toEqual({ sha256: sha256(microdata()), file: EXTRACT_FILE });

    const listed = await alice.get(`/workspaces/${workspaceId}/outputs`);
    expect(listed.status).toBe(200);
    expect(listed.body.files).toContainEqual(
      expect.objectContaining({
        path: 'tables/admissions.csv',
        recordPath: 'tables/admissions.csv.record.json',
      }),
    );

    const id = await newRequest('Admissions, verified');
    const review = await addAndSubmit(id, 'tables/admissions.csv', 1);
    expect(review.status).toBe('in_review');
    expect(review.fileList[0].check?.evidence).toMatchObject({
      kind: 'verified',
      message: expect.stringMatching(/^verified against the extract/),
      source: { file: EXTRACT_FILE },
    });
    const votes = { votes: [{ fileId: review.fileList[0].id, vote: 'approve', comment: 'Verified; safe.' }] };
    expect((await olga.post(`/outputs/${id}/reviews`, votes)).status).toBe(200);
    expect((await oscar.post(`/outputs/${id}/reviews`, votes)).body).toMatchObject({ status: 'released' });

    const links = await alice.post(`/outputs/${id}/download-links`);
    expect(links.status).toBe(201);
    const manifestLink = (links.body.links as { fileName: string; url: string }[]).find(
      (l) => l.fileName === 'manifest.json',
    )!;
    const manifest = JSON.parse(
      (await request(t.app.getHttpServer()).get(manifestLink.url).buffer(true)).text,
    ) as { version: string; files: Record<string, unknown>[] };
    expect(manifest.version).toBe('1.2.0');
    const table = readFileSync(join(outputs, 'tables', 'admissions.csv'));
    expect(manifest.files[0]).toMatchObject({
      fileName: 'tables/admissions.csv',
      sha256: sha256(table),
      context: 'admissions by age band and sex',
      controls: expect.stringMatching(/tre sdc table/),
      check: { evidence: { kind: 'verified' } },
      provenance: {
        source: 'workspace-outputs',
        workspaceId,
        runner: 'local-process',
        path: 'tables/admissions.csv',
        sizeBytes: table.length,
        sha256: sha256(table),
        recordPath: 'tables/admissions.csv.record.json',
        recordSha256: sha256(readFileSync(join(outputs, 'tables', 'admissions.csv.record.json'))),
      },
    });
  });

  it('a record that lies about a count is blocked, even when the file matches the record', async () => {
    const outputs = outputsFolder(workspaceId);
    await sdcTable(
      join(dataVolume, EXTRACT_FILE),
      join(outputs, 'lies.csv'),
      join(outputs, 'lies.csv.record.json'),
    );
    // The researcher raises the 65+ men from 12 to 20 in both the record and the table: they agree, the
    // record's own rules pass, and only the extract can tell.
    const record = JSON.parse(readFileSync(join(outputs, 'lies.csv.record.json'), 'utf8')) as TableRecord;
    const r = record.table.rows.indexOf('65+');
    const c = record.table.cols.indexOf('M');
    expect(record.table.cells[r][c].records).toBe(12);
    record.table.cells[r][c].records = 20;
    record.table.values[r][c] = 20;
    writeFileSync(join(outputs, 'lies.csv.record.json'), JSON.stringify(record));
    writeFileSync(
      join(outputs, 'lies.csv'),
      readFileSync(join(outputs, 'lies.csv'), 'utf8').replace(/^65\+,21,12$/m, '65+,21,20'),
    );
    const id = await newRequest('Admissions, a count changed');
    const blocked = await addAndSubmit(id, 'lies.csv', 1);
    expect(blocked.status).toBe('blocked');
    const check = blocked.fileList[0].check!;
    expect(check.flags.filter((f) => f.rule === 'published_table')).toEqual([]);
    expect(check.evidence).toMatchObject({ kind: 'mismatch' });
    expect(check.flags.filter((f) => f.rule === 'extract_verification')).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        cell: '65+ / M',
        reason: '65+ / M: the record says records 20, the extract gives 12',
      }),
    ]);
  });

  it('the same table edited after tre sdc wrote it is blocked', async () => {
    const outputs = outputsFolder(workspaceId);
    await sdcTable(
      join(dataVolume, EXTRACT_FILE),
      join(outputs, 'edited.csv'),
      join(outputs, 'edited.csv.record.json'),
    );
    writeFileSync(
      join(outputs, 'edited.csv'),
      readFileSync(join(outputs, 'edited.csv'), 'utf8').replace(/^65\+,21,12$/m, '65+,21,4'),
    );
    const id = await newRequest('Admissions, edited');
    const blocked = await addAndSubmit(id, 'edited.csv', 1);
    expect(blocked.status).toBe('blocked');
    const check = blocked.fileList[0].check!;
    expect(check.evidence?.kind).toBe('verified'); // the record is true to the extract; the file is not
    expect(check.flags).toContainEqual(
      expect.objectContaining({ rule: 'published_table', outcome: 'fail', cell: '65+ / M' }),
    );
  });

  it('a table built from derived data is checked on the record, and marked as the researcher’s word', async () => {
    const outputs = outputsFolder(workspaceId);
    const derived = join(dataVolume, 'derived.csv');
    writeFileSync(derived, microdata().replace(/,1\n/g, ',2\n'));
    // Same counts (only lengths of stay changed), but not a file of the extract.
    await sdcTable(derived, join(outputs, 'derived.csv'), join(outputs, 'derived.csv.record.json'));
    const id = await newRequest('Admissions, derived');
    const review = await addAndSubmit(id, 'derived.csv', 1);
    expect(review.status).toBe('in_review');
    expect(review.fileList[0].check?.evidence).toMatchObject({
      kind: 'derived',
      message: expect.stringMatching(/^derived data: the record is the researcher's/),
      source: null,
    });
  });
});
