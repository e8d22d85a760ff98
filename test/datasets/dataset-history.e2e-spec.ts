import type { Role } from '@tre/auth';
import { caller, GP_DATASET, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

interface HistoryBody {
  items: { action: string; actorId: string; details: Record<string, unknown> }[];
  total: number;
}

/** A dataset's history for its custodians: every registration, edit and field change, oldest first. */
describe("a dataset's history", () => {
  let t: TestApp;
  let cara: Caller;
  const person = async (subject: string, roles: Role[]) =>
    caller(t.app, subject, await t.env.token(subject, roles));

  beforeAll(async () => {
    t = await startTestApp();
    cara = await person('cara', ['data_custodian']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the registration, each edit and each field change, in order, for custodians and admins', async () => {
    expect((await cara.post('/datasets', GP_DATASET)).status).toBe(201);
    expect(
      (await cara.patch('/datasets/GP_REGISTRATIONS', { description: 'Registrations with GP practices' }))
        .status,
    ).toBe(200);
    const field = { type: 'code', classification: 'quasi_identifier', releaseForm: 'drop' };
    expect((await cara.put('/datasets/GP_REGISTRATIONS/fields/sex', field)).status).toBe(200);

    const history = await cara.get('/datasets/GP_REGISTRATIONS/history');
    expect(history.status).toBe(200);
    const body = history.body as HistoryBody;
    expect(body.items.map((e) => e.action)).toEqual([
      'dataset.registered',
      'dataset.updated',
      'dataset.field_changed',
    ]);
    expect(body.total).toBe(3);
    const admin = await person('ada', ['admin']);
    expect(((await admin.get('/datasets/GP_REGISTRATIONS/history')).body as HistoryBody).total).toBe(3);
  });

  it('is refused to other roles, and an unknown dataset is not found', async () => {
    const alice = await person('alice', ['researcher']);
    expect((await alice.get('/datasets/GP_REGISTRATIONS/history')).status).toBe(403);
    const unknown = await cara.get('/datasets/NO_SUCH/history');
    expect(unknown.status).toBe(404);
    expect((await cara.get('/datasets/GP_REGISTRATIONS/history?pageSize=0')).status).toBe(400);
  });
});
