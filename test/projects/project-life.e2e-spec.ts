import type { Role } from '@tre/auth';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProjectLifecycle } from '@tre/projects';
import {
  application,
  callerAs,
  GP_DATASET,
  HES_DATASET,
  inDays,
  type Caller,
} from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * One project's whole life over HTTP, as each role: drafted, returned for changes, resubmitted, approved with
 * narrowed terms, published in the register, suspended and resumed, and expired at its end date; then its
 * audit trail tells that story in order.
 */
describe('the life of a project', () => {
  let t: TestApp;
  let alice: Caller; // researcher, project lead
  let dev: Caller; // DAC member
  let dora: Caller; // DAC member
  let ada: Caller; // admin
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const as = (subject: string, roles: Role[]) => callerAs(t, subject, roles);
    alice = await as('alice', ['researcher']);
    dev = await as('dev', ['dac_member']);
    dora = await as('dora', ['dac_member']);
    ada = await as('ada', ['admin']);
    const cara = await as('cara', ['data_custodian']);
    for (const dataset of [GP_DATASET, HES_DATASET])
      expect((await cara.post('/datasets', dataset)).status).toBe(201);
  });
  afterAll(() => t.close());

  it('a researcher drafts, edits and submits an application', async () => {
    const created = await alice.post('/projects', application());
    expect(created.status).toBe(201);
    projectId = created.body.id;
    expect(
      (await alice.patch(`/projects/${projectId}`, { title: 'Asthma admissions, air quality and schools' }))
        .status,
    ).toBe(204);
    // DAC members do not see drafts
    expect((await dev.get(`/projects/${projectId}`)).status).toBe(404);
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    const project = await alice.get(`/projects/${projectId}`);
    expect(project.body).toMatchObject({
      status: 'submitted',
      applicationVersion: 1,
      title: 'Asthma admissions, air quality and schools',
    });
    expect(
      project.body.members.map((m: { subject: string; role: string }) => `${m.role}:${m.subject}`),
    ).toEqual(['lead:alice', 'member:bob']);
  });

  it('shows the application to the DAC as awaiting review, and keeps votes blind until the decision', async () => {
    const awaiting = await dev.get('/projects?scope=awaiting_review');
    expect(awaiting.body.items.map((p: { id: string }) => p.id)).toEqual([projectId]);
    const vote = await dev.post(`/projects/${projectId}/votes`, {
      decision: 'approve',
      comment: 'Proportionate request.',
    });
    expect(vote.body).toEqual({ outcome: 'pending', status: 'in_review' });
    expect((await dev.get('/projects?scope=awaiting_review')).body.items).toEqual([]);
    expect((await dora.get(`/projects/${projectId}/votes`)).body).toEqual({
      blind: true,
      items: [],
      total: 0,
      page: 1,
      pageSize: 50,
    });
    expect((await alice.get(`/projects/${projectId}/votes`)).body).toMatchObject({
      blind: true,
      items: [],
      total: 0,
    });
    const own = await dev.get(`/projects/${projectId}/votes`);
    expect(own.body.total).toBe(1);
    expect(own.body.items.map((v: { decision: string }) => v.decision)).toEqual(['approve']);
  });

  it('a request for changes returns it; the researcher edits and resubmits as version 2', async () => {
    const returned = await dora.post(`/projects/${projectId}/votes`, {
      decision: 'request_changes',
      comment: 'Postcode district is not needed: drop postcode.',
    });
    expect(returned.body).toEqual({ outcome: 'return', status: 'returned' });
    const votes = await alice.get(`/projects/${projectId}/votes`);
    expect(votes.body.blind).toBe(false);
    expect(votes.body.items.map((v: { comment: string }) => v.comment)).toContain(
      'Postcode district is not needed: drop postcode.',
    );

    const datasets = application().datasets.map((d) =>
      d.datasetCode === 'GP_REGISTRATIONS' ? { ...d, fields: ['nhs_number', 'date_of_birth', 'sex'] } : d,
    );
    expect((await alice.patch(`/projects/${projectId}`, { datasets })).status).toBe(204);
    expect((await alice.post(`/projects/${projectId}/submit`)).status).toBe(204);
    const v2 = await dev.get(`/projects/${projectId}/versions/2`);
    expect(v2.body.content.datasets[0]).toMatchObject({
      datasetCode: 'GP_REGISTRATIONS',
      fields: ['nhs_number', 'date_of_birth', 'sex'],
    });
    const v1 = await dev.get(`/projects/${projectId}/versions/1`);
    expect(v1.body.content.datasets[0].fields).toContain('postcode');
  });

  it('two approvals approve exactly what every approving reviewer agreed to', async () => {
    const first = await dev.post(`/projects/${projectId}/votes`, {
      decision: 'approve',
      comment: 'Fine now.',
      fields: [{ datasetCode: 'HES_APC', fields: ['nhs_number', 'diagnosis'] }],
      endDate: inDays(200),
      conditions: ['No attempt to re-identify anyone'],
    });
    expect(first.body).toEqual({ outcome: 'pending', status: 'in_review' });
    const second = await dora.post(`/projects/${projectId}/votes`, {
      decision: 'approve',
      comment: 'Agreed.',
      conditions: ['Annual progress report'],
    });
    expect(second.body).toEqual({ outcome: 'approve', status: 'approved' });

    const project = await alice.get(`/projects/${projectId}`);
    expect(project.body.status).toBe('approved');
    expect(project.body.endDate).toBe(inDays(200));
    expect(project.body.approval).toMatchObject({
      approvalVersion: 1,
      applicationVersion: 2,
      endDate: inDays(200),
      conditions: ['No attempt to re-identify anyone', 'Annual progress report'],
    });
    expect(
      project.body.approval.datasets.map((d: { code: string; fields: string[] }) => [d.code, d.fields]),
    ).toEqual([
      ['GP_REGISTRATIONS', ['nhs_number', 'date_of_birth', 'sex']],
      ['HES_APC', ['nhs_number', 'diagnosis']],
    ]);
    expect(project.body.approval.approverIds).toHaveLength(2);

    const events = await t.app
      .get(DataSource)
      .query(`SELECT type, payload FROM domain_events WHERE aggregate_id = $1 ORDER BY id`, [projectId]);
    // Each submission and the return (notifications), and the approval (extracts, workspaces, notifications).
    expect(events).toEqual([
      { type: 'project.submitted', payload: { projectId } },
      { type: 'project.returned', payload: { projectId } },
      { type: 'project.submitted', payload: { projectId } },
      { type: 'project.approved', payload: { projectId, approvalId: project.body.approval.id } },
    ]);
  });

  it('the public register shows it to anyone, without anybody’s personal data', async () => {
    const register = await request(t.app.getHttpServer()).get('/register');
    expect(register.status).toBe(200);
    expect(register.body.items).toEqual([
      {
        id: projectId,
        title: 'Asthma admissions, air quality and schools',
        laySummary: application().laySummary,
        organisation: 'University of Exampleshire',
        status: 'approved',
        datasets: [
          { code: 'GP_REGISTRATIONS', title: 'GP registrations', legalBasis: 's251' },
          { code: 'HES_APC', title: 'Hospital episodes (admitted care)', legalBasis: 's251' },
        ],
        approvedOn: new Date().toISOString().slice(0, 10),
        endDate: inDays(200),
        endedOn: null,
        // Section 251 brings the national opt-out (the fixtures' datasets are not of GP origin, so type 1
        // does not apply); no extract has counted anyone yet.
        optOuts: [
          { list: 'national', title: 'National data opt-out', applied: true, peopleRemoved: null },
          {
            list: 'type1',
            title: 'Type 1 opt-out (registered with the GP practice)',
            applied: false,
            peopleRemoved: null,
          },
        ],
        outputsReleased: 0,
        releases: [],
        dataDeletion: {
          extractsDeletedOn: null,
          unreleasedOutputsDeletedOn: null,
          releasedOutputsDeletedOn: null,
          paused: false,
        },
      },
    ]);
    const text = JSON.stringify(register.body);
    for (const secret of ['alice', 'bob', 'dev', 'dora', 'scientificPurpose', 'leadId'])
      expect(text).not.toContain(secret);
    const csv = await request(t.app.getHttpServer()).get('/register/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[1]).toMatch(
      /^Asthma admissions, air quality and schools|^"Asthma admissions, air quality and schools"/,
    );
  });

  it('an admin suspends and resumes it; it expires at its end date, announced and audited', async () => {
    expect((await ada.post(`/projects/${projectId}/suspend`, { reason: 'Data breach review' })).status).toBe(
      204,
    );
    expect((await request(t.app.getHttpServer()).get('/register')).body.items[0].status).toBe('suspended');
    expect((await ada.post(`/projects/${projectId}/resume`, { reason: 'Review closed' })).status).toBe(204);

    const lifecycle = t.app.get(ProjectLifecycle);
    expect(await lifecycle.expireDue()).toEqual([]);
    // Time passes: the day after the approved end date, the sweep expires it (once).
    const dayAfterEnd = new Date(Date.parse(inDays(201)));
    expect(await lifecycle.expireDue(dayAfterEnd)).toEqual([projectId]);
    expect(await lifecycle.expireDue(dayAfterEnd)).toEqual([]);
    expect((await alice.get(`/projects/${projectId}`)).body.status).toBe('expired');
    expect((await ada.post(`/projects/${projectId}/resume`, { reason: 'again' })).status).toBe(409);
  });

  it('the timeline tells the whole story, every step attributed', async () => {
    const timeline = await alice.get(`/projects/${projectId}/timeline?pageSize=200`);
    expect(timeline.body.items.map((e: { action: string }) => e.action)).toEqual([
      'project.drafted',
      'project.edited',
      'project.submitted',
      'project.review_started',
      'project.vote_cast',
      'project.vote_cast',
      'project.returned',
      'project.edited',
      'project.submitted',
      'project.review_started',
      'project.vote_cast',
      'project.vote_cast',
      'project.approved',
      'project.suspended',
      'project.resumed',
      'project.expired',
    ]);
    expect(timeline.body.items.at(-1).actorId).toBe('system:worker');
    const verify = await ada.get('/audit/verify');
    expect(verify.body.valid).toBe(true);
  });
});
