import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Gateway } from '../../apps/gateway/src/gateway';
import {
  closed,
  gatewayGet,
  GATEWAY_SECRET,
  listen,
  openSession,
  openSocket,
  readyWorkspace,
  startGateway,
  startStandIn,
  type StandIn,
} from '../support/gateway-fixtures';
import { application, caller, GP_DATASET, HES_DATASET } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The admin-kept accreditation register end to end: set, renew and lapse with their refusals, each audited;
 * a lapsed person's open session is cut at once through the gateway (the revocation message, not the sweep)
 * and every door their declared, still-future expiry would have opened stays shut.
 */
describe('accreditation register', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let standIn: StandIn;
  let gw: { gateway: Gateway; url: string };
  let admin: string;
  const DECLARED = '2099-01-01';

  const api = () => request(t.app.getHttpServer());
  const asAdmin = (method: 'get' | 'post', path: string, body?: object) =>
    api()[method](path).set('Authorization', `Bearer ${admin}`).send(body);

  beforeAll(async () => {
    t = await startTestApp({ GATEWAY_API_SECRET: GATEWAY_SECRET });
    dataSource = t.app.get(DataSource);
    const apiUrl = await listen(t);
    standIn = await startStandIn();
    // A sweep far beyond the test: a session cut within seconds was cut by the announced revocation.
    gw = await startGateway(t, apiUrl, standIn.url, { sweepMs: 600_000, decisionCacheMs: 10_000 });
    admin = await t.env.token('root', ['admin']);
  });
  afterAll(async () => {
    await gw.gateway.close();
    await standIn.close();
    await t.close();
  });

  it('a lapse overrides the declared date: the open session is cut and every check that passed now refuses', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { dee: DECLARED });
    const dee = await t.env.token('dee', ['researcher']);
    const session = await openSession(t, gw.url, workspaceId, dee);
    const socket = await openSocket(gw.url, `/w/${workspaceId}/api/kernels/k/channels`, session.cookie);
    expect((await gatewayGet(gw.url, `/w/${workspaceId}/api/status`, session.cookie)).status).toBe(200);

    const set = await asAdmin('post', '/people/dee/accreditation', {
      expiresOn: inDays(200),
      reference: 'ONS Accredited Researcher AR-1',
    });
    expect([set.status, set.body.state]).toEqual([200, 'current']);
    // A current record lets everything through as before.
    expect((await api().get(`/workspaces/${workspaceId}`).set('Authorization', `Bearer ${dee}`)).status).toBe(
      200,
    );

    const lapsed = await asAdmin('post', '/people/dee/accreditation/lapse', {
      reason: 'Training not renewed',
    });
    expect(lapsed.status).toBe(200);
    expect(lapsed.body).toMatchObject({
      state: 'lapsed',
      lapsedReason: 'Training not renewed',
      sessionsEnded: 1,
    });

    await closed(socket, 5_000);
    const before = standIn.hits.length;
    const after = await gatewayGet(gw.url, `/w/${workspaceId}/api/status`, session.cookie);
    expect(after.status).toBe(403);
    expect(standIn.hits.length).toBe(before);
    const again = await api()
      .post(`/workspaces/${workspaceId}/sessions`)
      .set('Authorization', `Bearer ${dee}`);
    expect([again.status, again.body.message]).toEqual([
      403,
      'Your accreditation has lapsed: renew it to open this workspace',
    ]);
    expect((await api().get(`/workspaces/${workspaceId}`).set('Authorization', `Bearer ${dee}`)).status).toBe(
      403,
    );
    const [row] = await dataSource.query<{ end_reason: string }[]>(
      `SELECT end_reason FROM workspace_sessions WHERE id = $1`,
      [session.sessionId],
    );
    expect(row.end_reason).toBe('revoked');

    // Set again after the lapse: the door opens again.
    expect(
      (await asAdmin('post', '/people/dee/accreditation', { expiresOn: inDays(30), reference: 'AR-2' }))
        .status,
    ).toBe(200);
    expect((await api().get(`/workspaces/${workspaceId}`).set('Authorization', `Bearer ${dee}`)).status).toBe(
      200,
    );
  });

  it('the committee cannot approve while a member is lapsed on the register, though their declared date is current', async () => {
    const person = async (subject: string, roles: ('researcher' | 'data_custodian' | 'dac_member')[]) =>
      caller(t.app, subject, await t.env.token(subject, roles));
    const custodian = await person('cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET]) await custodian.post('/datasets', dataset);
    const lead = await person('lea', ['researcher']);
    const gil = await person('gil', ['researcher']);
    await gil.get('/me');
    const created = await lead.post(
      '/projects',
      application({ members: [{ subject: 'gil', accreditationExpiresOn: inDays(300) }] }),
    );
    expect(created.status).toBe(201);
    const projectId = created.body.id as string;
    expect((await lead.post(`/projects/${projectId}/submit`)).status).toBe(204);
    await asAdmin('post', '/people/gil/accreditation', { expiresOn: inDays(100), reference: 'AR-9' }).expect(
      200,
    );
    await asAdmin('post', '/people/gil/accreditation/lapse', { reason: 'Suspended by the body' }).expect(200);
    const dac = await person('dan', ['dac_member']);
    const vote = await dac.post(`/projects/${projectId}/votes`, { decision: 'approve', comment: 'Fine.' });
    expect(vote.status).toBe(409);
    expect(vote.body.message).toMatch(/accreditation has lapsed: gil \(register, /);
    // The project's page flags it too.
    expect((await lead.get(`/projects/${projectId}`)).body.flags).toEqual(['accreditation_lapsed']);
  });

  it('a register record past its expiry denies though the declared date is years away', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { eve: DECLARED });
    const eve = await t.env.token('eve', ['researcher']);
    await api().get('/me').set('Authorization', `Bearer ${eve}`);
    await asAdmin('post', '/people/eve/accreditation', { expiresOn: inDays(10), reference: 'AR-3' }).expect(
      200,
    );
    await dataSource.query(`UPDATE accreditations SET expires_on = '2020-01-01' WHERE subject = 'eve'`);
    const opened = await api()
      .post(`/workspaces/${workspaceId}/sessions`)
      .set('Authorization', `Bearer ${eve}`);
    expect(opened.status).toBe(403);
    const people = await asAdmin('get', '/people?pageSize=200');
    const person = (people.body.items as { subject: string; accreditation: { expired: boolean } }[]).find(
      (p) => p.subject === 'eve',
    );
    expect(person?.accreditation.expired).toBe(true);
  });

  it('refuses illegal moves with 409 and a reason, bad input with 400, non-admins with 403; audits each change', async () => {
    const fay = await t.env.token('fay', ['researcher']);
    await api().get('/me').set('Authorization', `Bearer ${fay}`);
    const cases: [string, string, object, number, RegExp][] = [
      ['renew before set', 'renew', { expiresOn: inDays(50) }, 409, /not on the register: set one first/],
      ['lapse before set', 'lapse', { reason: 'Because' }, 409, /not on the register: set one first/],
      [
        'impossible date',
        '',
        { expiresOn: '2027-02-30', reference: 'AR-4' },
        400,
        /expiresOn must be a date/,
      ],
      ['past date', '', { expiresOn: '2020-01-01', reference: 'AR-4' }, 400, /expiresOn must be after today/],
      ['no reference', '', { expiresOn: inDays(40) }, 400, /reference/],
      ['set', '', { expiresOn: inDays(40), reference: 'AR-4' }, 200, /.*/],
      ['set while current', '', { expiresOn: inDays(60), reference: 'AR-5' }, 409, /renew it or lapse it/],
      ['renew earlier', 'renew', { expiresOn: inDays(20) }, 409, /must move the expiry later/],
      ['renew', 'renew', { expiresOn: inDays(400) }, 200, /.*/],
      ['lapse without reason', 'lapse', {}, 400, /reason/],
      ['lapse', 'lapse', { reason: 'Left the organisation' }, 200, /.*/],
      ['lapse again', 'lapse', { reason: 'Again' }, 409, /lapsed/],
      ['renew lapsed', 'renew', { expiresOn: inDays(500) }, 409, /set a new one instead/],
    ];
    for (const [what, action, body, status, message] of cases) {
      const response = await asAdmin('post', `/people/fay/accreditation${action ? `/${action}` : ''}`, body);
      expect({ what, status: response.status }).toEqual({ what, status });
      if (status !== 200) expect(JSON.stringify(response.body)).toMatch(message);
    }
    expect((await asAdmin('post', '/people/nobody/accreditation/lapse', { reason: 'xyz' })).status).toBe(404);
    const researcher = await api()
      .post('/people/fay/accreditation/renew')
      .set('Authorization', `Bearer ${fay}`)
      .send({ expiresOn: inDays(900) });
    expect(researcher.status).toBe(403);

    const events = await dataSource.query<{ action: string; details: Record<string, unknown> }[]>(
      `SELECT action, details FROM audit_events WHERE subject_type = 'accreditation' AND subject_id = 'fay' ORDER BY seq`,
    );
    expect(events.map((e) => e.action)).toEqual([
      'accreditation.set',
      'accreditation.renewed',
      'accreditation.lapsed',
    ]);
    expect(events[2].details).toMatchObject({ reason: 'Left the organisation' });
  });
});
