import type { Role } from '@tre/auth';
import {
  application,
  caller,
  callerAs,
  GP_DATASET,
  HES_DATASET,
  inDays,
  type Caller,
} from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Bad input and illegal acts: each refused with a 4xx that says what is wrong, and nothing changed.
 * Separation of duties: nobody votes on, or governs, a project they are part of.
 */
describe('project refusals', () => {
  let t: TestApp;
  let alice: Caller;
  let bob: Caller; // member of alice's project, and also a DAC member
  let dev: Caller;
  let dora: Caller;
  let ada: Caller;

  const countProjects = async () => (await ada.get('/projects?scope=all')).body.total as number;
  const timelineLength = async (id: string) =>
    (await ada.get(`/projects/${id}/timeline`)).body.total as number;

  beforeAll(async () => {
    t = await startTestApp();
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    alice = await as('alice', ['researcher']);
    bob = await as('bob', ['researcher', 'dac_member']);
    dev = await as('dev', ['dac_member']);
    dora = await as('dora', ['dac_member']);
    ada = await as('ada', ['admin']);
    const cara = await as('cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
  });
  afterAll(() => t.close());

  it.each([
    [
      'an unknown dataset',
      { datasets: [{ datasetCode: 'NOPE', fields: ['x'], legalBasis: 's251' }] },
      400,
      /NOPE/,
    ],
    [
      'an unknown field',
      { datasets: [{ datasetCode: 'HES_APC', fields: ['nhs_number', 'shoe_size'], legalBasis: 's251' }] },
      400,
      /HES_APC has no field shoe_size/,
    ],
    [
      'a field that is never released',
      {
        datasets: [
          { datasetCode: 'GP_REGISTRATIONS', fields: ['nhs_number', 'full_name'], legalBasis: 's251' },
        ],
      },
      400,
      /field full_name of GP_REGISTRATIONS is never released/,
    ],
    [
      'an end date in the past',
      { requestedEndDate: '2020-01-01' },
      400,
      /requestedEndDate 2020-01-01 is not in the future/,
    ],
    [
      'a malformed date',
      { requestedEndDate: '31/12/2027' },
      400,
      /requestedEndDate must be a date written YYYY-MM-DD/,
    ],
    [
      'an unknown legal basis',
      { datasets: [{ datasetCode: 'HES_APC', fields: ['diagnosis'], legalBasis: 'because' }] },
      400,
      /legalBasis/,
    ],
    ['no datasets', { datasets: [] }, 400, /datasets/],
    [
      'a member listed twice',
      {
        members: [
          { subject: 'bob', accreditationExpiresOn: inDays(100) },
          { subject: 'bob', accreditationExpiresOn: inDays(100) },
        ],
      },
      400,
      /members are listed twice: bob/,
    ],
    ['an unexpected field', { budget: 1_000_000 }, 400, /budget/],
  ])('refuses an application with %s, creating nothing', async (_, overrides, status, message) => {
    const before = await countProjects();
    const response = await alice.post('/projects', application(overrides));
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).toMatch(message);
    expect(await countProjects()).toBe(before);
  });

  it('refuses illegal state changes with 409 and says why, changing nothing', async () => {
    const id = (await alice.post('/projects', application())).body.id as string;
    expect((await alice.post(`/projects/${id}/submit`)).status).toBe(204);
    const before = await timelineLength(id);

    const edit = await alice.patch(`/projects/${id}`, { title: 'Changed after submission' });
    expect(edit.status).toBe(409);
    expect(edit.body.message).toBe(
      'Cannot edit a project that is submitted: submitted applications are frozen',
    );
    const withdraw = await alice.post(`/projects/${id}/withdraw`);
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.message).toMatch(/Cannot withdraw a project that is submitted/);
    expect((await ada.post(`/projects/${id}/suspend`, { reason: 'not approved yet' })).status).toBe(409);
    expect((await alice.get(`/projects/${id}`)).body).toMatchObject({
      status: 'submitted',
      title: application().title,
    });
    expect(await timelineLength(id)).toBe(before);
  });

  it('enforces separation of duties, conflicts of interest and one vote each', async () => {
    const id = (await alice.post('/projects', application())).body.id as string;
    await alice.post(`/projects/${id}/submit`);

    const own = await bob.post(`/projects/${id}/votes`, {
      decision: 'approve',
      comment: 'Looks great to me!',
    });
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({
      code: 'separation_of_duties',
      message: 'You are a member of this project, so you cannot vote on it',
    });

    expect((await dora.post(`/projects/${id}/conflicts`, { reason: 'I supervise the lead' })).status).toBe(
      204,
    );
    const conflicted = await dora.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    expect(conflicted.status).toBe(403);
    expect(conflicted.body.message).toMatch(/declared a conflict of interest/);
    const awaiting = (await dora.get('/projects?scope=awaiting_review')).body.items as { id: string }[];
    expect(awaiting.map((p) => p.id)).not.toContain(id);
    expect(
      (await dev.get('/projects?scope=awaiting_review')).body.items.map((p: { id: string }) => p.id),
    ).toContain(id);

    expect((await dev.post(`/projects/${id}/votes`, { decision: 'reject', comment: 'No.' })).body).toEqual({
      outcome: 'pending',
      status: 'in_review',
    });
    const twice = await dev.post(`/projects/${id}/votes`, {
      decision: 'approve',
      comment: 'Changed my mind',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('You have already voted on version 1 of this application');

    const widened = await ada.get(`/projects/${id}/votes`);
    expect(widened.body.blind).toBe(true);
    expect(widened.body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses approvals that widen the request, and approval while accreditation has lapsed', async () => {
    const id = (
      await alice.post(
        '/projects',
        application({ members: [{ subject: 'carl', accreditationExpiresOn: '2024-01-31' }] }),
      )
    ).body.id as string;
    await alice.post(`/projects/${id}/submit`);
    expect((await dev.get(`/projects/${id}`)).body.flags).toEqual(['accreditation_lapsed']);

    const widening = await dev.post(`/projects/${id}/votes`, {
      decision: 'approve',
      comment: 'ok',
      fields: [{ datasetCode: 'GP_REGISTRATIONS', fields: ['full_name'] }],
      endDate: inDays(5000),
    });
    expect(widening.status).toBe(400);
    expect(widening.body.message).toMatch(/fields full_name of GP_REGISTRATIONS were not requested/);
    expect(widening.body.message).toMatch(/later than the requested/);

    const lapsed = await dev.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'ok' });
    expect(lapsed.status).toBe(409);
    expect(lapsed.body.message).toBe(
      "Cannot approve while members' accreditation has lapsed: carl (2024-01-31)",
    );
    expect((await dev.get(`/projects/${id}`)).body.status).toBe('submitted');
  });

  it('lets no member govern their own project; another DAC member revokes it and the register says so', async () => {
    const id = (await alice.post('/projects', application())).body.id as string;
    await alice.post(`/projects/${id}/submit`);
    await dev.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'Yes.' });
    // dora declared a conflict on an earlier project, not this one
    expect(
      (await dora.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'Yes.' })).body.status,
    ).toBe('approved');

    const suspend = await bob.post(`/projects/${id}/suspend`, { reason: 'covering for a friend' });
    expect(suspend.status).toBe(403);
    expect(suspend.body.code).toBe('separation_of_duties');
    expect((await alice.post(`/projects/${id}/revoke`, { reason: 'not mine to revoke' })).status).toBe(403);
    expect((await dev.post(`/projects/${id}/revoke`, { reason: 'Breach of condition 1' })).status).toBe(204);
    expect((await alice.post(`/projects/${id}/close`, { reason: 'finished early' })).status).toBe(409);
    const register = await ada.get('/register?pageSize=200');
    expect(register.body.items.find((p: { id: string }) => p.id === id).status).toBe('revoked');
    const events = (await ada.get(`/projects/${id}/timeline?pageSize=200`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(events.slice(-2)).toEqual(['project.approved', 'project.revoked']);
  });

  it('keeps drafts and other people’s applications out of sight', async () => {
    const id = (await alice.post('/projects', application())).body.id as string;
    const mallory = caller(t.app, 'mallory', await t.env.token('mallory', ['researcher']));
    expect((await mallory.get(`/projects/${id}`)).status).toBe(404);
    expect((await mallory.patch(`/projects/${id}`, { title: 'Hijacked title here' })).status).toBe(404);
    expect((await dev.get(`/projects/${id}`)).status).toBe(404);
    expect((await bob.patch(`/projects/${id}`, { title: 'Member edit attempt' })).status).toBe(403);
    expect((await ada.get(`/projects/${id}`)).body.title).toBe(application().title);
    expect((await alice.get(`/projects/not-a-uuid`)).status).toBe(400);
  });
});
