import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService, TransparencyHeadsService, verifyTreeHead } from '@tre/audit';
import { ObjectStore } from '@tre/outputs';
import { approvedProject } from '../support/output-fixtures';
import { callerAs, GP_DATASET, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { ProjectData } from '../support/trust-fixtures';

/** Exact opt-out counts of eight projects' extracts: national list, type 1 list. Seven fall below 10. */
const COUNTS: [number, number][] = [
  [0, 12],
  [1, 0],
  [3, 9],
  [9, 25],
  [10, 1],
  [14, 5],
  [15, 4],
  [126, 2],
];
const SMALL = new Set(COUNTS.flat().filter((n) => n > 0 && n < 10));

interface PublicCount {
  rounded: number | null;
  text: string;
}

/** Every `peopleRemoved` anywhere in a JSON body. */
function peopleCounts(body: unknown, found: PublicCount[] = []): PublicCount[] {
  if (Array.isArray(body)) for (const item of body) peopleCounts(item, found);
  else if (body && typeof body === 'object')
    for (const [key, value] of Object.entries(body)) {
      if (key === 'peopleRemoved' && value !== null) found.push(value as PublicCount);
      else peopleCounts(value, found);
    }
  return found;
}

/** A published count of people is "fewer than 10" or a multiple of 10 from 10 up, and says the same in words. */
function expectSafe(count: PublicCount): void {
  if (count.rounded === null) expect(count.text).toBe('fewer than 10');
  else {
    expect(count.rounded % 10).toBe(0);
    expect(count.rounded).toBeGreaterThanOrEqual(10);
    expect(count.text).toBe(String(count.rounded));
  }
}

/**
 * The register, the transparency statement and the patients' page over HTTP, with no token: counts of
 * people rounded to the nearest 10 and never exact below 10, on every public route that shows them.
 */
describe('the public register, statement and patients’ page', () => {
  let t: TestApp;
  let db: DataSource;
  let alice: Caller;
  const projects: string[] = [];
  const anyone = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    const extractDir = mkdtempSync(join(tmpdir(), 'tre-extracts-'));
    const outputDir = mkdtempSync(join(tmpdir(), 'tre-outputs-'));
    t = await startTestApp({ EXTRACT_STORE_DIR: extractDir, OUTPUT_STORE_DIR: outputDir });
    db = t.app.get(DataSource);
    const data = new ProjectData(db, extractDir, new ObjectStore(outputDir));
    alice = await callerAs(t, 'alice', ['researcher']);
    const cara = await callerAs(t, 'cara', ['data_custodian']);
    const dac = [await callerAs(t, 'dev', ['dac_member']), await callerAs(t, 'dora', ['dac_member'])];
    // GP data under section 251: both opt-outs apply.
    expect((await cara.post('/datasets', { ...GP_DATASET, origin: 'gp' })).status).toBe(201);
    for (const [i, [national, type1]] of COUNTS.entries()) {
      const id = await approvedProject(alice, cara, dac, { title: `Study ${i}` });
      await data.extract(id, [10], { national, type1 });
      projects.push(id);
    }
    const aliceId = (await alice.get('/me')).body.id as string;
    const released = await data.request(projects[7], aliceId, 'Admissions by age', 'released', [
      { name: 'a.csv', content: 'x\n', decision: 'approved' },
      { name: 'b.csv', content: 'y\n', decision: 'approved' },
    ]);
    await data.release(projects[7], released.id, ['a.csv', 'b.csv']);
    const audit = t.app.get(AuditService);
    for (const blockedBy of [['min_cell_count'], ['dominance', 'min_cell_count'], undefined])
      await audit.appendAlone({
        action: 'output.blocked',
        subjectType: 'output_request',
        subjectId: released.id,
        actorId: 'system:worker',
        details: { from: 'checking', to: 'blocked', ...(blockedBy ? { blockedBy } : {}) },
      });
    await t.app.get(TransparencyHeadsService).checkpoint();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the register shows each list’s people rounded, "fewer than 10" below 10, with releases', async () => {
    const res = await anyone().get('/register?pageSize=200');
    expect(res.status).toBe(200);
    for (const [i, [national, type1]] of COUNTS.entries()) {
      const entry = res.body.items.find((e: { id: string }) => e.id === projects[i]);
      const round = (n: number) =>
        n < 10
          ? { rounded: null, text: 'fewer than 10' }
          : { rounded: Math.round(n / 10) * 10, text: String(Math.round(n / 10) * 10) };
      expect(entry.optOuts).toEqual([
        { list: 'national', title: 'National data opt-out', applied: true, peopleRemoved: round(national) },
        {
          list: 'type1',
          title: 'Type 1 opt-out (registered with the GP practice)',
          applied: true,
          peopleRemoved: round(type1),
        },
      ]);
    }
    const withRelease = res.body.items.find((e: { id: string }) => e.id === projects[7]);
    expect(withRelease.releases).toEqual([
      { title: 'Admissions by age', releasedOn: new Date().toISOString().slice(0, 10), files: 2 },
    ]);
  });

  it('no count of people below 10 is exact on any public route, JSON or CSV', async () => {
    const bodies = [
      (await anyone().get('/register?pageSize=200')).body,
      (await anyone().get('/register/statement')).body,
      (await anyone().get('/patients/opt-outs')).body,
    ];
    const counts = bodies.flatMap((body) => peopleCounts(body));
    expect(counts.length).toBeGreaterThanOrEqual(COUNTS.length * 2 + 4);
    counts.forEach(expectSafe);

    const registerCsv = (await anyone().get('/register/csv')).text.split('\r\n');
    const header = registerCsv[0].split(',');
    const columns = ['national_opt_out_people_removed', 'type1_opt_out_people_removed'].map((c) =>
      header.indexOf(c),
    );
    expect(columns).not.toContain(-1);
    const rows = registerCsv.slice(1, -1);
    expect(rows).toHaveLength(COUNTS.length);
    for (const row of rows) {
      // No quoted cells in these rows but the datasets list and summary, which come before the counts.
      const cells = row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      for (const column of columns) {
        const cell = cells[column];
        expect(cell === 'fewer than 10' || /^[1-9]\d*0$/.test(cell)).toBe(true);
        expect(SMALL.has(Number(cell))).toBe(false);
      }
    }
    const statementCsv = (await anyone().get('/register/statement/csv')).text;
    const peopleRows = statementCsv.split('\r\n').filter((line) => line.includes('people removed'));
    expect(peopleRows).toEqual([
      'opt_outs_honoured,national people removed,180',
      'opt_outs_honoured,type1 people removed,60',
    ]);
  });

  it('the statement totals a period, with the latest signed head and the key beside it', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await anyone().get(`/register/statement?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period: { from: today, to: today },
      projects: {
        approved: COUNTS.length,
        ended: 0,
        active: COUNTS.length,
        byState: [
          { state: 'approved', projects: COUNTS.length },
          { state: 'suspended', projects: 0 },
          { state: 'revoked', projects: 0 },
          { state: 'expired', projects: 0 },
          { state: 'closed', projects: 0 },
        ],
      },
      datasetsUsed: [
        { code: 'GP_REGISTRATIONS', title: 'GP registrations', projects: COUNTS.length },
        { code: 'HES_APC', title: 'Hospital episodes (admitted care)', projects: COUNTS.length },
      ],
      optOutsHonoured: {
        extracts: COUNTS.length,
        // 178 and 58, summed exactly and rounded once.
        lists: [
          { list: 'national', title: 'National data opt-out', peopleRemoved: { rounded: 180, text: '180' } },
          {
            list: 'type1',
            title: 'Type 1 opt-out (registered with the GP practice)',
            peopleRemoved: { rounded: 60, text: '60' },
          },
        ],
      },
      outputsReleased: { releases: 1, files: 2 },
      requestsBlocked: {
        total: 3,
        byRule: [
          { rule: 'dominance', requests: 1 },
          { rule: 'min_cell_count', requests: 2 },
          { rule: 'not recorded', requests: 1 },
        ],
      },
    });
    const { latestHead, keys } = res.body.transparency;
    expect(latestHead.treeSize).toBeGreaterThan(0);
    expect(keys.map((k: { keyId: string }) => k.keyId)).toContain(latestHead.keyId);
    const key = keys.find((k: { keyId: string }) => k.keyId === latestHead.keyId);
    expect(verifyTreeHead(latestHead, key.publicKey)).toBe(true);

    // A period before any of it: nothing, and the small total is still not a number.
    const before = await anyone().get('/register/statement?from=2001-01-01&to=2001-12-31');
    expect(before.status).toBe(200);
    expect(before.body.projects.active).toBe(0);
    expect(before.body.optOutsHonoured.lists[0].peopleRemoved).toEqual({
      rounded: null,
      text: 'fewer than 10',
    });
  });

  it('refuses a period it cannot read, saying why', async () => {
    for (const [query, why] of [
      ['from=2026-02-30', /from/],
      ['to=yesterday', /to/],
      ['from=2026-03-02&to=2026-03-01', /must not be after/],
      ['from=1900-01-01&to=1900-12-31', /between 1970/],
    ] as const) {
      const res = await anyone().get(`/register/statement?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(why);
      expect((await anyone().get(`/register/statement/csv?${query}`)).status).toBe(400);
    }
  });

  it('tells patients how each opt-out is applied, from the extract’s own policy, and looks nobody up', async () => {
    const res = await anyone().get('/patients/opt-outs');
    expect(res.status).toBe(200);
    expect(res.body.lists.map((l: { list: string }) => l.list)).toEqual(['national', 'type1']);
    const rule = (legalBasis: string, dataSource: string) =>
      res.body.rules.find(
        (r: { legalBasis: string; dataSource: string }) =>
          r.legalBasis === legalBasis && r.dataSource === dataSource,
      ).listsApplied;
    expect(rule('s251', 'gp')).toEqual(['national', 'type1']);
    expect(rule('s251', 'hospital')).toEqual(['national']);
    expect(rule('public_health_reg3', 'gp')).toEqual(['type1']);
    expect(rule('consent', 'gp')).toEqual([]);
    expect(res.body.totals.lists[0].peopleRemoved).toEqual({ rounded: 180, text: '180' });
    // No route takes an NHS number or a name: there is nothing to look up.
    expect((await anyone().get('/patients/opt-outs/9434765919')).status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/\b\d{10}\b/);
  });
});
