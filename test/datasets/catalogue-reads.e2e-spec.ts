import request from 'supertest';
import { DataSource } from 'typeorm';
import { DomainError } from '@tre/core';
import { DatasetCatalogueService, validateFieldRequest } from '@tre/datasets';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The read API other libraries build on (projects validate applications with it), and the database
 * constraints that hold even for a caller who bypasses the service.
 */
describe('dataset catalogue reads and database backstops', () => {
  let t: TestApp;
  let catalogue: DatasetCatalogueService;
  let db: DataSource;

  const register = async (code: string, table: string) => {
    const token = await t.env.token('carol', ['data_custodian']);
    const response = await request(t.app.getHttpServer())
      .post('/datasets')
      .set('Authorization', `Bearer ${token}`)
      .send({
        code,
        title: `${code} extract`,
        source: { table, personIdColumn: 'nhs_number' },
        fields: [
          {
            name: 'nhs_number',
            type: 'string',
            classification: 'direct_identifier',
            releaseForm: 'pseudonymise',
          },
          { name: 'email', type: 'string', classification: 'direct_identifier', releaseForm: 'drop' },
          { name: 'event_date', type: 'date', classification: 'attribute', releaseForm: 'keep' },
        ],
      });
    expect(response.status).toBe(201);
    return response.body as { id: string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    catalogue = t.app.get(DatasetCatalogueService);
    db = t.app.get(DataSource);
    await register('GP_REGISTRATIONS', 'gp_registrations');
    await register('HES_APC', 'hes_apc');
  });
  afterAll(() => t.close());

  it('lists, searches and pages the catalogue over HTTP', async () => {
    const researcher = await t.env.token('rita', ['researcher']);
    const get = (path: string) =>
      request(t.app.getHttpServer()).get(path).set('Authorization', `Bearer ${researcher}`);
    const codesOf = (body: { items: { code: string }[] }): string[] => body.items.map((d) => d.code);
    const page = await get('/datasets?page=2&pageSize=1');
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(codesOf(page.body)).toEqual(['HES_APC']);
    expect(codesOf((await get('/datasets?q=hes')).body)).toEqual(['HES_APC']);
    expect(codesOf((await get('/datasets?q=Gp_Reg')).body)).toEqual(['GP_REGISTRATIONS']);
    // A wildcard is searched for literally, not as a pattern matching everything.
    expect((await get('/datasets?q=%25')).body.total).toBe(0);
    expect((await get('/datasets?pageSize=500')).status).toBe(400);
  });

  it('finds datasets by code in the order asked, each once', async () => {
    const found = await catalogue.findByCodes(['HES_APC', 'GP_REGISTRATIONS', 'HES_APC']);
    expect(found.map((d) => d.code)).toEqual(['HES_APC', 'GP_REGISTRATIONS']);
    expect(found[1].source).toEqual({
      schema: 'source',
      table: 'gp_registrations',
      personIdColumn: 'nhs_number',
    });
    expect(found[1].fields.map((f) => f.name)).toEqual(['nhs_number', 'email', 'event_date']);
    expect(await catalogue.findByCodes([])).toEqual([]);
  });

  it('names every unknown code in one validation error', async () => {
    const failure = catalogue.findByCodes(['GP_REGISTRATIONS', 'NOPE', 'ALSO_NOPE']);
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'Unknown dataset codes: NOPE, ALSO_NOPE',
      details: { unknown: ['NOPE', 'ALSO_NOPE'] },
    });
  });

  it('finds a dataset by id, and answers not found for an unknown or malformed id', async () => {
    const [gp] = await catalogue.findByCodes(['GP_REGISTRATIONS']);
    expect(await catalogue.findById(gp.id)).toEqual(gp);
    await expect(catalogue.findById('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(catalogue.findById('not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('checks a field request against the stored dataset', async () => {
    const [gp] = await catalogue.findByCodes(['GP_REGISTRATIONS']);
    expect(validateFieldRequest(gp, ['nhs_number', 'event_date'])).toEqual([]);
    expect(validateFieldRequest(gp, ['event_date', 'religion', 'email'])).toEqual([
      'GP_REGISTRATIONS has no field religion',
      'field email of GP_REGISTRATIONS is never released',
    ]);
  });

  it('refuses in the database a direct identifier kept, or a level without generalise', async () => {
    const [gp] = await catalogue.findByCodes(['GP_REGISTRATIONS']);
    await expect(
      db.query(`UPDATE dataset_fields SET release_form = 'keep' WHERE dataset_id = $1 AND name = 'email'`, [
        gp.id,
      ]),
    ).rejects.toMatchObject({ constraint: 'dataset_fields_direct_identifier_not_kept_check' });
    await expect(
      db.query(
        `UPDATE dataset_fields SET generalise_level = 'year' WHERE dataset_id = $1 AND name = 'event_date'`,
        [gp.id],
      ),
    ).rejects.toMatchObject({ constraint: 'dataset_fields_generalise_level_check' });
    await expect(
      db.query(
        `UPDATE dataset_fields SET name = 'Robert''); --' WHERE dataset_id = $1 AND name = 'event_date'`,
        [gp.id],
      ),
    ).rejects.toMatchObject({ constraint: 'dataset_fields_name_check' });
    await expect(db.query(`UPDATE datasets SET code = 'gp' WHERE id = $1`, [gp.id])).rejects.toMatchObject({
      constraint: 'datasets_code_check',
    });
    expect(await catalogue.findById(gp.id)).toEqual(gp);
  });

  it('removes the fields of a removed dataset', async () => {
    const hes = await catalogue.findByCodes(['HES_APC']);
    // The audit trail keeps its record; the catalogue rows go (there is no API for this yet).
    await db.query('DELETE FROM datasets WHERE id = $1', [hes[0].id]);
    const [{ count }] = await db.query<{ count: string }[]>(
      'SELECT count(*) FROM dataset_fields WHERE dataset_id = $1',
      [hes[0].id],
    );
    expect(Number(count)).toBe(0);
  });
});
