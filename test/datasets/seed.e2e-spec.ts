import request from 'supertest';
import { Client } from 'pg';
import {
  generatePopulation,
  normaliseNhsNumber,
  samplePopulation,
  SEED_DATASETS,
  seedDatasets,
  seededCounts,
} from '@tre/datasets';
import { runSeed } from '../../apps/cli/src/commands/seed.command';
import { CliUsageError } from '../../apps/cli/src/cli-errors';
import { startTestApp, type TestApp } from '../support/test-app';

const PEOPLE = 3_000;
const SEED = 11;

describe('seeded sources in Postgres', () => {
  let t: TestApp;
  let db: Client;
  const printed: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SOURCE_SCHEMAS: 'source,source_two' }); // the second schema is seeded below
    db = new Client({ connectionString: t.env.database.url });
    await db.connect();
    await runSeed({ people: String(PEOPLE), seed: String(SEED) }, t.env.database.url, (l) => printed.push(l));
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const columns = async (schema: string, table: string): Promise<string[]> =>
    (
      await db.query<{ c: string }>(
        `SELECT column_name || ' ' || data_type AS c FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, table],
      )
    ).rows.map((r) => r.c);

  it('creates the three tables with their columns and nhs_number indexes', async () => {
    expect(await columns('source', 'gp_registrations')).toEqual([
      'nhs_number text',
      'full_name text',
      'date_of_birth date',
      'postcode text',
      'sex text',
      'practice_code text',
      'registration_date date',
    ]);
    expect(await columns('source', 'hes_apc')).toEqual([
      'episode_id bigint',
      'nhs_number text',
      'admission_date date',
      'diagnosis text',
      'full_name text',
      'postcode text',
    ]);
    expect(await columns('source', 'deaths')).toEqual([
      'nhs_number text',
      'date_of_death date',
      'cause text',
      'postcode text',
    ]);
    const { rows } = await db.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'source' ORDER BY indexname`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'deaths_nhs_number_idx',
      'gp_registrations_nhs_number_idx',
      'hes_apc_nhs_number_idx',
      'hes_apc_pkey',
    ]);
  });

  it('holds exactly the generated rows, counted in the database the way safe-data counts them', async () => {
    const expected = { gp: 0, hes: 0, deaths: 0, gpMissing: 0, gpInvalid: 0, hesInvalid: 0 };
    for (const p of generatePopulation({ people: PEOPLE, seed: SEED })) {
      expected.gp += 1;
      expected.hes += p.episodes.length;
      expected.deaths += p.death ? 1 : 0;
      if (p.gpNhsNumber === null) expected.gpMissing += 1;
      else if (normaliseNhsNumber(p.gpNhsNumber) === null) expected.gpInvalid += 1;
      for (const e of p.episodes) {
        if (e.nhsNumber !== null && normaliseNhsNumber(e.nhsNumber) === null) expected.hesInvalid += 1;
      }
    }
    const counts = await seededCounts(t.env.database.url);
    expect(counts.gp_registrations).toMatchObject({
      rows: expected.gp,
      missingNhsNumber: expected.gpMissing,
      invalidNhsNumber: expected.gpInvalid,
      distinctValidNhsNumbers: expected.gp - expected.gpMissing - expected.gpInvalid,
    });
    expect(counts.hes_apc).toMatchObject({ rows: expected.hes, invalidNhsNumber: expected.hesInvalid });
    expect(counts.deaths.rows).toBe(expected.deaths);
    expect(expected.gpInvalid).toBeGreaterThan(0);
  });

  it('links people across sources on their NHS number', async () => {
    const { rows } = await db.query<{ gp_hes: string; gp_deaths: string; all_three: string }>(`
      WITH gp AS (SELECT DISTINCT nhs_number FROM source.gp_registrations WHERE nhs_number IS NOT NULL),
           hes AS (SELECT DISTINCT replace(nhs_number, ' ', '') AS nhs_number FROM source.hes_apc),
           d AS (SELECT DISTINCT nhs_number FROM source.deaths)
      SELECT (SELECT count(*) FROM gp JOIN hes USING (nhs_number)) AS gp_hes,
             (SELECT count(*) FROM gp JOIN d USING (nhs_number)) AS gp_deaths,
             (SELECT count(*) FROM gp JOIN hes USING (nhs_number) JOIN d USING (nhs_number)) AS all_three`);
    expect(Number(rows[0].gp_hes)).toBeGreaterThan(PEOPLE * 0.35);
    expect(Number(rows[0].gp_deaths)).toBeGreaterThan(PEOPLE * 0.02);
    expect(Number(rows[0].all_three)).toBeGreaterThan(0);

    const linked = samplePopulation({ people: PEOPLE, seed: SEED }, 300).find(
      (p) => p.gpNhsNumber === p.nhsNumber && p.episodes.some((e) => e.nhsNumber === p.nhsNumber),
    )!;
    const gp = await db.query(
      'SELECT full_name, date_of_birth::text AS dob FROM source.gp_registrations WHERE nhs_number = $1',
      [linked.nhsNumber],
    );
    expect(gp.rows).toEqual([{ full_name: linked.fullName, dob: linked.dateOfBirth }]);
    const hes = await db.query('SELECT count(*)::int AS n FROM source.hes_apc WHERE nhs_number = $1', [
      linked.nhsNumber,
    ]);
    expect(hes.rows[0].n).toBe(linked.episodes.filter((e) => e.nhsNumber === linked.nhsNumber).length);
  });

  it('prints counts and rates, never an identifier', () => {
    expect(printed[0]).toBe(
      `seeded ${PEOPLE} people (seed ${SEED}) into schema source: ` +
        `gp_registrations ${PEOPLE}, hes_apc ${printed[0].match(/hes_apc (\d+)/)![1]}, deaths ${printed[0].match(/deaths (\d+)/)![1]}`,
    );
    expect(printed.join('\n')).not.toMatch(/\d{10}|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}/);
  });

  it('refuses to seed over rows unless told to truncate, and then reproduces the same data', async () => {
    await expect(runSeed({ people: '10' }, t.env.database.url, () => undefined)).rejects.toThrow(
      CliUsageError,
    );
    const before = await seededCounts(t.env.database.url);
    const report = await runSeed(
      { people: String(PEOPLE), seed: String(SEED), truncate: true },
      t.env.database.url,
      () => undefined,
    );
    expect(report.rows.gp_registrations).toBe(PEOPLE);
    expect(await seededCounts(t.env.database.url)).toEqual(before);
  });

  it('seeds another schema and refuses bad flags', async () => {
    await runSeed({ people: '50', schema: 'source_two' }, t.env.database.url, () => undefined);
    expect((await seededCounts(t.env.database.url, 'source_two')).gp_registrations.rows).toBe(50);
    for (const flags of [
      {},
      { people: '0' },
      { people: 'many' },
      { people: '5', seed: '-1' },
      { people: '5', schema: 'Bad-Name' },
    ]) {
      await expect(runSeed(flags, t.env.database.url, () => undefined)).rejects.toThrow(CliUsageError);
    }
  });

  it('registers SEED_DATASETS in the catalogue with their origins', async () => {
    const custodian = await t.env.token('carol', ['data_custodian']);
    for (const dataset of [
      ...SEED_DATASETS,
      ...seedDatasets('source_two').map((d) => ({ ...d, code: `${d.code}_TWO` })),
    ]) {
      const response = await request(t.app.getHttpServer())
        .post('/datasets')
        .set('authorization', `Bearer ${custodian}`)
        .send(dataset)
        .expect(201);
      expect(response.body).toMatchObject({ code: dataset.code, origin: dataset.origin });
    }
  });
});
