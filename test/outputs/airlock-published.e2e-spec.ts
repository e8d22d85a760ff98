import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type { Role } from '@tre/auth';
import type { CellRecord, TableRecord } from '@tre/sdc';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { caller, inDays, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';

interface Flag {
  rule: string;
  outcome: string;
  cell: string | null;
  reason: string;
}
interface FileBody {
  id: string;
  fileName: string;
  check: { status: string; flags: Flag[]; publishedTable: string | null } | null;
}
interface Detail {
  status: string;
  fileList: FileBody[];
}

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');
const AGES = ['0-15', '16-64', '65+'];
const SEXES = ['F', 'M'];
const COUNTS = [
  [40, 38],
  [120, 131],
  [15, 40],
];
const PAYLOAD = "=cmd|' /C calc'!A0";

/**
 * The airlock checks what is published, not what it is told: over HTTP with the worker's check job, a file
 * that is not its record's table after suppression and rounding is blocked with the cell named, and a
 * table with spreadsheet formulas is flagged to the checkers, who only ever download an inert copy.
 */
describe('the airlock checks the published file', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let alice: Caller & { upload(id: string, name: string, content: string, record?: object): request.Test };
  let olga: Caller;
  let oscar: Caller;
  let projectId: string;
  let workspaceId: string;

  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));
  const detail = async (id: string): Promise<Detail> => (await alice.get(`/outputs/${id}`)).body as Detail;
  /** Drafts a request with one file, submits it and waits for the checks. */
  const checked = async (title: string, name: string, content: string, record?: object): Promise<Detail> => {
    const created = await alice.post('/outputs', { projectId, title });
    const id = created.body.id as string;
    const uploaded = await alice.upload(id, name, content, record);
    expect(uploaded.status).toBe(201);
    expect((await alice.post(`/outputs/${id}/submit`)).status).toBe(202);
    return eventually(async () => {
      const body = await detail(id);
      return ['blocked', 'in_review'].includes(body.status) ? { ...body, id } : undefined;
    }, 20_000);
  };
  const blockedCells = (body: Detail) =>
    body.fileList[0].check!.flags.filter((f) => f.rule === 'published_table' && f.outcome === 'fail');

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
    });
    worker = await startTestWorker();
    const token = await t.env.token('alice', ['researcher']);
    const self = caller(t.app, 'alice', token);
    // The file and its record written in the workspace's outputs folder, then added by path.
    alice = {
      ...self,
      upload: (id, name, content, record) => addOutput(self, id, workspaceId, name, content, record),
    };
    olga = await person('olga', ['output_checker']);
    oscar = await person('oscar', ['output_checker']);
    projectId = await approvedProject(
      alice,
      await person('cara', ['data_custodian']),
      [await person('dev', ['dac_member']), await person('dora', ['dac_member'])],
      // Sam checks outputs too, but not this project's: Sam is on it.
      { members: [{ subject: 'sam', accreditationExpiresOn: inDays(300) }] },
    );
    workspaceId = await readyWorkspaceOf(t, projectId);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('blocks a published cell of 4 whose record claims 40 records, naming the cell', async () => {
    const record = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
    const published = tableCsv(record).replace(',40\n', ',4\n'); // 65+ / M
    expect(published).toContain('65+,15,4\n');
    const body = await checked('Cell of 4', 'admissions.csv', published, record);
    expect(body.status).toBe('blocked');
    expect(body.fileList[0].check?.publishedTable).toBe('mismatch');
    expect(blockedCells(body).map((f) => f.cell)).toEqual(['65+ / M']);
    expect(blockedCells(body)[0].reason).toMatch(/4 in the file but 40 in the record/);
  });

  it('blocks a record whose values say 4 while its statistics claim 40 (the file publishing 4)', async () => {
    const record = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
    record.table.values[2][1] = 4;
    const body = await checked('Record lies', 'admissions.csv', tableCsv(record), record);
    expect(body.status).toBe('blocked');
    expect(blockedCells(body).map((f) => f.cell)).toEqual(['65+ / M']);
  });

  it('blocks a magnitude that is not its record value', async () => {
    const cell = (records: number, total: number): CellRecord => ({
      records,
      total,
      top: [total / records + 1, total / records],
      negatives: 0,
      missing: 0,
    });
    const sums: TableRecord = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
    sums.table.agg = 'sum';
    sums.table.valueVar = 'cost';
    sums.table.cells = COUNTS.map((row) => row.map((n) => cell(n, n * 100)));
    sums.table.values = COUNTS.map((row) => row.map((n) => n * 100));
    const faithful = await checked('Costs', 'costs.csv', tableCsv(sums), sums);
    expect(faithful.fileList[0].check?.publishedTable).toBe('match');
    // The file and the record's values publish 1310 for the 16-64 men, whose total the record says is 13100.
    sums.table.values[1][1] = 1310;
    const body = await checked('Costs, one edited', 'costs.csv', tableCsv(sums), sums);
    expect(body.status).toBe('blocked');
    expect(blockedCells(body).map((f) => f.cell)).toEqual(['16-64 / M']);
  });

  it('blocks a suppressed cell that the file publishes', async () => {
    const record = countRecord('age_band', 'sex', AGES, SEXES, COUNTS, [[2, 1]]);
    const published = tableCsv(record).replace('65+,15,\n', '65+,15,40\n');
    const body = await checked('Suppressed but shown', 'admissions.csv', published, record);
    expect(body.status).toBe('blocked');
    expect(blockedCells(body).map((f) => f.cell)).toEqual(['65+ / M']);
    expect(blockedCells(body)[0].reason).toMatch(/must be blank/);
  });

  it('blocks a rounded count that is not its records rounded as declared', async () => {
    const record = countRecord('age_band', 'sex', AGES, SEXES, COUNTS);
    record.table.rounding = 'base 5';
    // 38 rounds to 40 and 131 to 130; this table publishes 35 for the 0-15 men.
    record.table.values = [
      [40, 35],
      [120, 130],
      [15, 40],
    ];
    const body = await checked('Rounded', 'admissions.csv', tableCsv(record), record);
    expect(body.status).toBe('blocked');
    expect(blockedCells(body).map((f) => f.cell)).toEqual(['0-15 / M']);
  });

  it('shows checkers a file with no record as its rows, and nobody else: not a member, not an admin', async () => {
    const content = 'region,admissions\nNorth,120\n"South, coast",95\n';
    const body = await checked('No record', 'by-region.csv', content);
    const id = (body as Detail & { id: string }).id;
    const file = body.fileList[0];
    const shown = await olga.get(`/outputs/${id}/files/${file.id}/preview`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      kind: 'table',
      rows: [
        ['region', 'admissions'],
        ['North', '120'],
        ['South, coast', '95'],
      ],
      totalRows: 3,
      totalCols: 2,
      truncated: false,
    });
    const ada = await person('ada', ['admin']);
    const sam = await person('sam', ['researcher', 'output_checker']);
    for (const who of [alice, ada, sam])
      expect((await who.get(`/outputs/${id}/files/${file.id}/preview`)).status).toBe(403);
  });

  it('flags formula cells to the checkers, who only download an inert copy; the release keeps the bytes', async () => {
    const content = `note,value\n"${PAYLOAD.replace(/"/g, '""')}",1\nplain,2\n`;
    const body = await checked('Formula', 'notes.csv', content);
    expect(body.status).toBe('in_review');
    const file = body.fileList[0];
    expect(file.check?.flags).toContainEqual(
      expect.objectContaining({ rule: 'formula_cell', outcome: 'review', cell: 'row 2, column 1' }),
    );
    const id = (body as Detail & { id: string }).id;
    const read = await olga.get(`/outputs/${id}/files/${file.id}/content`).buffer(true);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(read.headers['content-disposition']).toMatch(/^attachment/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    expect(read.headers['x-neutralised-cells']).toBe('1');
    expect(read.headers['x-output-sha256']).toBe(sha256(Buffer.from(content)));
    const served = Buffer.from(read.text);
    expect(read.headers['x-content-sha256']).toBe(sha256(served));
    expect(read.text).not.toMatch(/(^|[,\n"])=cmd/);
    expect(read.text).toContain(`'=cmd`);

    const votes = { votes: [{ fileId: file.id, vote: 'approve', comment: 'Formula is a label; accepted.' }] };
    await olga.post(`/outputs/${id}/reviews`, votes);
    expect((await oscar.post(`/outputs/${id}/reviews`, votes)).body).toMatchObject({ status: 'released' });
    const links = (await alice.post(`/outputs/${id}/download-links`)).body.links as {
      fileName: string;
      url: string;
    }[];
    const got = await request(t.app.getHttpServer()).get(links[0].url).buffer(true);
    expect(got.text).toBe(content);
    expect(got.headers['content-disposition']).toMatch(/^attachment/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const manifest = JSON.parse((await request(t.app.getHttpServer()).get(links[1].url).buffer(true)).text);
    expect(manifest.files[0]).toMatchObject({
      sha256: sha256(Buffer.from(content)),
      check: { formulaCells: 1 },
    });
  });
});
