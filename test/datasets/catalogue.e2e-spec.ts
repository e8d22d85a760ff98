import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

interface FieldBody {
  name: string;
  type: string;
  classification: string;
  releaseForm: string;
  generaliseLevel?: string | null;
  description?: string;
}

interface DatasetBody {
  id: string;
  code: string;
  description: string;
  fields: FieldBody[];
}

const codesOf = (body: { items: { code: string }[] }): string[] => body.items.map((d) => d.code);

const gpFields = (): FieldBody[] => [
  { name: 'nhs_number', type: 'string', classification: 'direct_identifier', releaseForm: 'pseudonymise' },
  { name: 'name', type: 'string', classification: 'direct_identifier', releaseForm: 'drop' },
  {
    name: 'date_of_birth',
    type: 'date',
    classification: 'quasi_identifier',
    releaseForm: 'generalise',
    generaliseLevel: 'year_month',
  },
  {
    name: 'postcode',
    type: 'string',
    classification: 'quasi_identifier',
    releaseForm: 'generalise',
    generaliseLevel: 'district',
  },
  { name: 'sex', type: 'code', classification: 'quasi_identifier', releaseForm: 'keep' },
  {
    name: 'registration_date',
    type: 'date',
    classification: 'attribute',
    releaseForm: 'generalise',
    generaliseLevel: 'year_month',
    description: 'Date the patient registered with the practice',
  },
  { name: 'practice_code', type: 'code', classification: 'attribute', releaseForm: 'keep' },
];

const gp = (fields = gpFields()) => ({
  code: 'GP_REGISTRATIONS',
  title: 'GP registrations',
  description: 'Patients registered with general practices',
  source: { table: 'gp_registrations', personIdColumn: 'nhs_number' },
  fields,
});

const withField = (name: string, change: Partial<FieldBody>): FieldBody[] =>
  gpFields().map((field) => (field.name === name ? { ...field, ...change } : field));

describe('dataset catalogue over HTTP', () => {
  let t: TestApp;
  let custodian: string;
  let otherCustodian: string;
  let researcher: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    [custodian, otherCustodian, researcher, admin] = await Promise.all([
      t.env.token('carol', ['data_custodian']),
      t.env.token('dave', ['data_custodian']),
      t.env.token('rita', ['researcher']),
      t.env.token('ada', ['admin']),
    ]);
  });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({
    get: (path: string) => http().get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) =>
      http().post(path).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) =>
      http().patch(path).set('Authorization', `Bearer ${token}`).send(body),
    put: (path: string, body: object) => http().put(path).set('Authorization', `Bearer ${token}`).send(body),
  });
  const readGp = async () => {
    const response = await as(researcher).get('/datasets/GP_REGISTRATIONS');
    expect(response.status).toBe(200);
    return response.body as DatasetBody;
  };
  const datasetEvents = async () => {
    const response = await as(admin).get('/audit?subjectType=dataset&pageSize=200');
    expect(response.status).toBe(200);
    return (response.body.items as { action: string; subjectId: string; details: Record<string, unknown> }[])
      .slice()
      .reverse();
  };

  it('registers a dataset for its custodian, and researchers read it', async () => {
    const created = await as(custodian).post('/datasets', gp());
    expect(created.status).toBe(201);
    const carol = await as(custodian).get('/me');
    expect(created.body).toMatchObject({
      code: 'GP_REGISTRATIONS',
      title: 'GP registrations',
      custodianId: carol.body.id,
      source: { schema: 'source', table: 'gp_registrations', personIdColumn: 'nhs_number' },
    });
    expect((created.body as DatasetBody).fields.map((f) => f.name)).toEqual(gpFields().map((f) => f.name));
    expect(created.body.fields[0]).toEqual({
      name: 'nhs_number',
      type: 'string',
      classification: 'direct_identifier',
      releaseForm: 'pseudonymise',
      generaliseLevel: null,
      description: '',
    });
    expect(await readGp()).toEqual(created.body);
  });

  it('refuses bad registrations with a message saying what is wrong, and stores none of them', async () => {
    const refusals: [string, object, number, RegExp][] = [
      [
        'direct identifier kept',
        { ...gp(withField('name', { releaseForm: 'keep' })), code: 'GP_KEEP' },
        400,
        /field name: a direct identifier can never be released as keep/,
      ],
      [
        'generalise without a level',
        { ...gp(withField('postcode', { generaliseLevel: undefined })), code: 'GP_NO_LEVEL' },
        400,
        /field postcode: release form generalise needs a generalise level/,
      ],
      [
        'unknown type',
        { ...gp(withField('sex', { type: 'blob' })), code: 'GP_BLOB' },
        400,
        /fields\.4\.type/,
      ],
      [
        'person identifier not pseudonymised',
        { ...gp(withField('nhs_number', { releaseForm: 'drop' })), code: 'GP_NO_PSEUDONYM' },
        400,
        /person identifier column nhs_number must be classified direct_identifier with release form pseudonymise/,
      ],
      ['duplicate code', gp(), 409, /A dataset with code GP_REGISTRATIONS already exists/],
    ];
    const before = await readGp();
    for (const [label, body, status, message] of refusals) {
      const response = await as(custodian).post('/datasets', body);
      expect({ label, status: response.status }).toEqual({ label, status });
      expect(response.body.message).toMatch(message);
    }
    const researcherWrite = await as(researcher).post('/datasets', { ...gp(), code: 'GP_BY_RESEARCHER' });
    expect(researcherWrite.status).toBe(403);

    const list = await as(researcher).get('/datasets');
    expect(codesOf(list.body)).toEqual(['GP_REGISTRATIONS']);
    expect(await readGp()).toEqual(before);
  });

  it('lets the owning custodian and admins change a dataset, and nobody else', async () => {
    const before = await readGp();
    const foreign = await as(otherCustodian).patch('/datasets/GP_REGISTRATIONS', { title: 'Mine now' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/Only the custodian of dataset GP_REGISTRATIONS or an admin/);
    expect((await as(researcher).patch('/datasets/GP_REGISTRATIONS', { title: 'x' })).status).toBe(403);
    const badSource = await as(custodian).patch('/datasets/GP_REGISTRATIONS', {
      source: { personIdColumn: 'practice_code' },
    });
    expect(badSource.status).toBe(400);
    expect(badSource.body.message).toMatch(/person identifier column practice_code must be classified/);
    expect(await readGp()).toEqual(before);

    const own = await as(custodian).patch('/datasets/GP_REGISTRATIONS', {
      title: 'GP registrations (England)',
      source: { table: 'gp_registrations_v2' },
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      title: 'GP registrations (England)',
      description: before.description,
      source: { schema: 'source', table: 'gp_registrations_v2', personIdColumn: 'nhs_number' },
    });
    const byAdmin = await as(admin).patch('/datasets/GP_REGISTRATIONS', {
      description: 'Updated by an admin',
    });
    expect(byAdmin.status).toBe(200);
    expect((await readGp()).description).toBe('Updated by an admin');
    expect((await as(researcher).get('/datasets/NO_SUCH_DATASET')).status).toBe(404);
  });

  it('adds and changes fields under the same rules, and leaves the dataset as it was on refusal', async () => {
    const before = await readGp();
    const refusals: [string, string, object, number, RegExp][] = [
      [
        custodian,
        'nhs_number',
        { type: 'string', classification: 'direct_identifier', releaseForm: 'keep' },
        400,
        /field nhs_number: a direct identifier can never be released as keep/,
      ],
      [
        custodian,
        'nhs_number',
        { type: 'string', classification: 'direct_identifier', releaseForm: 'drop' },
        400,
        /person identifier column nhs_number/,
      ],
      [
        custodian,
        'sex',
        { type: 'code', classification: 'quasi_identifier', releaseForm: 'keep', generaliseLevel: 'year' },
        400,
        /field sex: a generalise level is only allowed with release form generalise/,
      ],
      [
        otherCustodian,
        'ethnicity',
        { type: 'code', classification: 'sensitive', releaseForm: 'keep' },
        403,
        /Only the custodian/,
      ],
      [
        custodian,
        'Bad-Name',
        { type: 'code', classification: 'sensitive', releaseForm: 'keep' },
        400,
        /field Bad-Name: name must be a lower-case SQL identifier/,
      ],
    ];
    for (const [token, name, body, status, message] of refusals) {
      const response = await as(token).put(`/datasets/GP_REGISTRATIONS/fields/${name}`, body);
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(response.body.message).toMatch(message);
    }
    expect(await readGp()).toEqual(before);

    const added = await as(custodian).put('/datasets/GP_REGISTRATIONS/fields/ethnicity', {
      type: 'code',
      classification: 'sensitive',
      releaseForm: 'keep',
      description: 'Ethnic category code',
    });
    expect(added.status).toBe(200);
    expect((added.body as DatasetBody).fields.at(-1)).toMatchObject({
      name: 'ethnicity',
      classification: 'sensitive',
    });
    const changed = await as(admin).put('/datasets/GP_REGISTRATIONS/fields/sex', {
      type: 'code',
      classification: 'quasi_identifier',
      releaseForm: 'drop',
    });
    expect(changed.status).toBe(200);
    const after = await readGp();
    expect(after.fields).toHaveLength(before.fields.length + 1);
    expect(after.fields.find((f) => f.name === 'sex')).toMatchObject({ releaseForm: 'drop' });
  });

  it('audits every write with codes and classifications, and no refused change', async () => {
    const gpId = (await readGp()).id;
    const events = await datasetEvents();
    expect(events.map((e) => e.action)).toEqual([
      'dataset.registered',
      'dataset.updated',
      'dataset.updated',
      'dataset.field_added',
      'dataset.field_changed',
    ]);
    const [registered, retabled, redescribed, added, changed] = events;
    expect(registered.subjectId).toBe(gpId);
    expect(registered.details).toMatchObject({ code: 'GP_REGISTRATIONS' });
    expect(registered.details.fields).toContainEqual({
      field: 'nhs_number',
      type: 'string',
      classification: 'direct_identifier',
      releaseForm: 'pseudonymise',
      generaliseLevel: null,
    });
    expect(retabled.details).toMatchObject({
      changed: ['title', 'source'],
      source: { from: { table: 'gp_registrations' }, to: { table: 'gp_registrations_v2' } },
    });
    expect(redescribed.details).toEqual({ code: 'GP_REGISTRATIONS', changed: ['description'] });
    expect(added.details).toMatchObject({
      code: 'GP_REGISTRATIONS',
      field: 'ethnicity',
      classification: 'sensitive',
    });
    expect(changed.details).toMatchObject({
      field: 'sex',
      from: { releaseForm: 'keep' },
      to: { releaseForm: 'drop' },
    });
    expect(JSON.stringify(events)).not.toMatch(/Test carol|Ethnic category code/);
    expect((await as(admin).get('/audit/verify')).body).toMatchObject({ valid: true });
  });
  it('records where a dataset comes from: other by default, one of four origins, changes audited', async () => {
    const plain = await as(custodian).post('/datasets', { ...gp(), code: 'ORIGIN_DEFAULT' });
    expect(plain.status).toBe(201);
    expect(plain.body.origin).toBe('other');
    const gpOrigin = await as(custodian).post('/datasets', { ...gp(), code: 'ORIGIN_GP', origin: 'gp' });
    expect(gpOrigin.body.origin).toBe('gp');
    const bad = await as(custodian).post('/datasets', { ...gp(), code: 'ORIGIN_BAD', origin: 'pharmacy' });
    expect(bad.status).toBe(400);
    expect((await as(custodian).patch('/datasets/ORIGIN_DEFAULT', { origin: 'bogus' })).status).toBe(400);
    const changed = await as(custodian).patch('/datasets/ORIGIN_DEFAULT', { origin: 'registry' });
    expect(changed.status).toBe(200);
    expect(changed.body.origin).toBe('registry');
    const events = await datasetEvents();
    expect(events.at(-1)).toMatchObject({
      action: 'dataset.updated',
      subjectId: plain.body.id,
      details: { changed: ['origin'], origin: { from: 'other', to: 'registry' } },
    });
  });
});
