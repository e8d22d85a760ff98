import request from 'supertest';
import { DataSource } from 'typeorm';
import { seedRegister, type SeededProject } from '../../bench/web/register-seed';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The public register's search, filters, downloads and project pages, which the web app's register pages use:
 * a filter narrows what is public and can never widen it to applications.
 */
describe('public register: search, filter, download, one project', () => {
  let t: TestApp;
  let projects: SeededProject[];
  const get = (path: string) => request(t.app.getHttpServer()).get(path);

  beforeAll(async () => {
    t = await startTestApp();
    projects = await seedRegister(t.app.get(DataSource), 30);
  });
  afterAll(() => t.close());

  it('searches words in title, lay summary and organisation, each word required, case-insensitive', async () => {
    const page = await get('/register?q=ASTHMA%20study&pageSize=200');
    expect(page.status).toBe(200);
    const expected = projects.filter((p) => p.title.startsWith('Asthma')).map((p) => p.id);
    expect(page.body.items.map((item: { id: string }) => item.id).sort()).toEqual(expected.sort());
    expect(page.body.total).toBe(expected.length);
    expect((await get('/register?q=Northtown').expect(200)).body.total).toBe(
      projects.filter((p) => p.organisation.startsWith('Northtown')).length,
    );
    // % and _ are matched as themselves, not as wildcards.
    expect((await get('/register?q=%25').expect(200)).body.total).toBe(0);
    expect((await get('/register?q=_').expect(200)).body.total).toBe(0);
  });

  it('filters by status and by dataset of the approved terms', async () => {
    const suspended = await get('/register?status=suspended&pageSize=200').expect(200);
    expect(suspended.body.total).toBe(projects.filter((p) => p.status === 'suspended').length);
    expect(suspended.body.items.every((item: { status: string }) => item.status === 'suspended')).toBe(true);
    const hes = await get('/register?dataset=HES_APC&pageSize=200').expect(200);
    expect(hes.body.total).toBe(projects.filter((p) => p.datasets.includes('HES_APC')).length);
  });

  it('refuses a status that would reach past the register (draft), and bad filters, with 400 saying why', async () => {
    const draft = await get('/register?status=draft');
    expect(draft.status).toBe(400);
    expect(draft.body.details.fields.status[0]).toMatch(/status must be one of/);
    const dataset = await get('/register?dataset=a%27%20OR%201%3D1');
    expect(dataset.status).toBe(400);
    expect(dataset.body.details.fields.dataset[0]).toMatch(/dataset code/);
    expect((await get(`/register?q=${'x'.repeat(201)}`)).status).toBe(400);
  });

  it('pages the filtered register in a stable order', async () => {
    const first = await get('/register?pageSize=7&page=1').expect(200);
    const second = await get('/register?pageSize=7&page=2').expect(200);
    expect(first.body.total).toBe(projects.length);
    const ids = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(14);
  });

  it('downloads what the filter selects as CSV and as JSON, never a draft', async () => {
    const json = await get('/register/json?q=Dementia').expect(200);
    expect(json.headers['content-disposition']).toMatch(/attachment; filename="data-uses-register.json"/);
    expect(json.body).toHaveLength(projects.filter((p) => p.title.startsWith('Dementia')).length);
    const csv = await get('/register/csv?q=Dementia').expect(200);
    expect(csv.text.trim().split('\n')).toHaveLength(json.body.length + 1);
    const everything = await get('/register/json').expect(200);
    expect(everything.body).toHaveLength(projects.length);
    expect(JSON.stringify(everything.body)).not.toContain('Secret Org');
  });

  it("shows one project's public entry, and 404 for an application or an unknown id", async () => {
    const entry = await get(`/register/${projects[0].id}`).expect(200);
    expect(entry.body).toMatchObject({ id: projects[0].id, title: projects[0].title, status: 'approved' });
    expect(entry.body.datasets[0]).toEqual({
      code: 'GP_REGISTRATIONS',
      title: 'GP registrations',
      legalBasis: 's251',
    });
    const [draft] = await t.app.get(DataSource).query(`SELECT id FROM projects WHERE status = 'draft'`);
    expect((await get(`/register/${draft.id}`)).status).toBe(404);
    expect((await get('/register/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/register/not-a-uuid')).status).toBe(400);
  });
});
