import request from 'supertest';
import { Client } from 'pg';
import { OptOutService, samplePopulation } from '@tre/datasets';
import { runOptOutLoad } from '../../apps/cli/src/commands/optouts.command';
import { CliUsageError } from '../../apps/cli/src/cli-errors';
import { startTestApp, type TestApp } from '../support/test-app';

/** Known people of the seeded population, so the lists hold realistic, valid test-range numbers. */
const people = samplePopulation({ people: 10_000, seed: 3 }, 50).map((p) => p.nhsNumber);
const csv = (numbers: string[]): string => `nhs_number\n${numbers.join('\n')}\n`;

describe('opt-out lists over HTTP', () => {
  let t: TestApp;
  let custodian: string;
  let admin: string;
  let researcher: string;

  beforeAll(async () => {
    t = await startTestApp();
    [custodian, admin, researcher] = await Promise.all([
      t.env.token('carol', ['data_custodian']),
      t.env.token('ada', ['admin']),
      t.env.token('rita', ['researcher']),
    ]);
  });
  afterAll(() => t.close());

  const put = (token: string, list: string, body: string, type = 'text/csv') =>
    request(t.app.getHttpServer())
      .put(`/optouts/${list}`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', type)
      .send(body);
  const get = (token: string, path = '/optouts') =>
    request(t.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);
  const stored = async (): Promise<{ list: string; version: number; n: string }[]> => {
    const client = new Client({ connectionString: t.env.database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT list, version, count(*) AS n FROM optouts.entries GROUP BY list, version ORDER BY list, version',
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  it('starts with both lists at version 0', async () => {
    const response = await get(custodian).expect(200);
    expect(response.body).toEqual([
      { list: 'national', version: 0, count: 0, loadedAt: null, loadedBy: null },
      { list: 'type1', version: 0, count: 0, loadedAt: null, loadedBy: null },
    ]);
    const membership = await t.app.get(OptOutService).membership('national');
    expect(membership.version).toBe(0);
    expect(membership.has(people[0])).toBe(false);
  });

  it('loads a list, then replaces it whole with the next version', async () => {
    const first = await put(custodian, 'national', csv(people.slice(0, 30))).expect(200);
    expect(first.body).toMatchObject({ list: 'national', version: 1, count: 30 });
    const second = await put(admin, 'national', csv(people.slice(20, 45))).expect(200);
    expect(second.body).toMatchObject({ list: 'national', version: 2, count: 25 });

    const national = await t.app.get(OptOutService).membership('national');
    expect(national).toMatchObject({ list: 'national', version: 2, size: 25 });
    expect(national.has(people[0])).toBe(false); // only in version 1
    expect(national.has(people[20])).toBe(true);
    expect(national.has(people[44])).toBe(true);
    expect(national.has(people[45])).toBe(false);
    // The old version's numbers are gone once the new one is in force.
    expect(await stored()).toEqual([{ list: 'national', version: 2, n: '25' }]);
  });

  it('refuses a malformed file whole, naming the lines at fault, and keeps the version in force', async () => {
    const bad = [people[0], '9434765918', people[1], '12345', `${people[2]},Smith`];
    const response = await put(custodian, 'national', csv(bad)).expect(400);
    expect(response.body.message).toMatch(/refused whole, national list left at version 2/);
    expect(response.body.details.problems.map((p: { line: number }) => p.line)).toEqual([3, 5, 6]);
    expect(JSON.stringify(response.body)).not.toMatch(/9434765918|12345|Smith|999\d{7}/);

    const wrongColumns = await put(custodian, 'type1', 'patient,nhs_number\nx,9434765919\n').expect(400);
    expect(wrongColumns.body.details.problems.map((p: { line: number }) => p.line)).toEqual([1, 2]);

    const national = await t.app.get(OptOutService).membership('national');
    expect(national).toMatchObject({ version: 2, size: 25 });
    expect((await get(custodian)).body[1]).toMatchObject({ list: 'type1', version: 0 });
  });

  it('refuses researchers, unknown lists and other content types', async () => {
    await put(researcher, 'national', csv(people.slice(0, 3))).expect(403);
    await get(researcher).expect(403);
    await put(custodian, 'regional', csv(people.slice(0, 3))).expect(400);
    await request(t.app.getHttpServer())
      .put('/optouts/national')
      .set('authorization', `Bearer ${custodian}`)
      .send({ nhsNumbers: people.slice(0, 3) })
      .expect(415);
    expect((await t.app.get(OptOutService).membership('national')).version).toBe(2);
  });

  it('accepts a file far above the 100 kB JSON limit', async () => {
    const many = samplePopulation({ people: 20_000, seed: 9 }, 20_000).map((p) => p.nhsNumber);
    const body = csv(many);
    expect(body.length).toBeGreaterThan(200_000);
    const response = await put(custodian, 'type1', body).expect(200);
    expect(response.body).toMatchObject({ list: 'type1', version: 1, count: 20_000 });
  });

  it('loads from the CLI as system:cli, refusing a bad file with exit-2 usage errors', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tre-optouts-'));
    const good = join(dir, 'type1.csv');
    writeFileSync(good, csv(people.slice(0, 10)));
    const lines: string[] = [];
    const service = t.app.get(OptOutService);
    const summary = await runOptOutLoad(service, { list: 'type1', file: good }, (l) => lines.push(l));
    expect(summary).toMatchObject({ version: 2, count: 10, loadedBy: 'system:cli' });
    expect(lines).toEqual(['type1 opt-out list now at version 2: 10 NHS numbers']);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'nhs_number\n1234567890\n');
    await expect(runOptOutLoad(service, { list: 'type1', file: bad }, () => undefined)).rejects.toThrow(
      CliUsageError,
    );
    await expect(runOptOutLoad(service, { list: 'type1', file: bad }, () => undefined)).rejects.toThrow(
      /line 2/,
    );
    await expect(runOptOutLoad(service, { list: 'other', file: good }, () => undefined)).rejects.toThrow(
      /--list must be one of national, type1/,
    );
    await expect(
      runOptOutLoad(service, { list: 'type1', file: join(dir, 'missing.csv') }, () => undefined),
    ).rejects.toThrow(/cannot read/);
    expect((await service.membership('type1')).version).toBe(2);
  });

  it('shows versions, counts and loaders but never a number', async () => {
    const response = await get(admin).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({ list: 'national', version: 2, count: 25, loadedBy: expect.any(String) }),
      expect.objectContaining({ list: 'type1', version: 2, count: 10, loadedBy: 'system:cli' }),
    ]);
    // Ids are UUIDs, whose hex groups may hold ten digits in a row by chance: leave them out of the search.
    const withoutIds = JSON.stringify(response.body).replace(
      /[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi,
      '',
    );
    expect(withoutIds).not.toMatch(/\d{10}/);
  });

  it('audits every load and refusal with counts only', async () => {
    const response = await get(admin, '/audit?subjectType=optout_list&pageSize=200').expect(200);
    const events = response.body.items as { action: string; subjectId: string; details: object }[];
    const summary = events.map((e) => `${e.action} ${e.subjectId}`).sort();
    expect(summary).toEqual(
      [
        'optout.list_loaded national',
        'optout.list_loaded national',
        'optout.list_loaded type1',
        'optout.list_loaded type1',
        'optout.list_refused national',
        'optout.list_refused type1',
        'optout.list_refused type1',
        'optout.list_refused type1',
      ].sort(),
    );
    expect(
      events.find((e) => e.action === 'optout.list_loaded' && e.subjectId === 'national')?.details,
    ).toEqual(expect.objectContaining({ list: 'national', count: expect.any(Number) }));
    expect(JSON.stringify(events.map((e) => e.details))).not.toMatch(/\d{10}/);
    expect((await get(admin, '/audit/verify')).body).toMatchObject({ valid: true });
  });
});
