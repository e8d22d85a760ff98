import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Role } from '@tre/auth';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { application, caller, inDays, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput, readyWorkspaceOf } from '../support/workspace-outputs';

interface Person extends Caller {
  readonly token: string;
  readonly roles: Role[];
}

const mayList = (who: Person, roles: Role[]): boolean => who.roles.some((role) => roles.includes(role));

const TABLE = countRecord(
  'age_band',
  'sex',
  ['0-15', '16-64', '65+'],
  ['F', 'M'],
  [
    [40, 38],
    [120, 131],
    [15, 14],
  ],
);
const SCOPES = ['', 'scope=mine', 'scope=awaiting_review', 'scope=all'];

/**
 * A listing never shows what the detail route would refuse. Two researchers each have a draft, a pending and
 * an approved application, and a draft and a pending output request; every caller's every listing scope (with
 * and without a status or a project) lists only objects whose detail route answers them 200, `all` lists
 * exactly those, and `mine` exactly their own.
 */
describe('listings show what the detail routes show, no more', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  const people: Record<string, Person> = {};
  const projects: Record<string, string> = {};
  const outputs: Record<string, string> = {};
  const membersOf: Record<string, string[]> = {};

  const person = async (subject: string, roles: Role[]): Promise<Person> => {
    const token = await t.env.token(subject, roles);
    return (people[subject] = { ...caller(t.app, subject, token), token, roles });
  };
  const ids = async (who: Person, path: string): Promise<string[]> => {
    const res = await who.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return (res.body.items as { id: string }[]).map((item) => item.id).sort();
  };
  const detailVisible = async (who: Person, base: string, all: Record<string, string>) => {
    const seen: string[] = [];
    for (const id of Object.values(all)) if ((await who.get(`${base}/${id}`)).status === 200) seen.push(id);
    return seen.sort();
  };
  const pendingRequest = async (lead: Person, projectId: string): Promise<string> => {
    const id = (await lead.post('/outputs', { projectId, title: 'Admissions' })).body.id as string;
    const workspaceId = await readyWorkspaceOf(t, projectId);
    const added = await addOutput(lead, id, workspaceId, 'admissions.csv', tableCsv(TABLE), TABLE);
    expect(added.status).toBe(201);
    expect((await lead.post(`/outputs/${id}/submit`)).status).toBe(202);
    await eventually(async () =>
      (await lead.get(`/outputs/${id}`)).body.status === 'in_review' ? true : undefined,
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
    });
    worker = await startTestWorker();
    for (const s of ['alice', 'bob', 'carol', 'carl']) await person(s, ['researcher']);
    await person('rex', ['researcher', 'output_checker']); // on carol's projects, and a checker
    for (const s of ['dev', 'dora', 'dana']) await person(s, ['dac_member']);
    await person('olga', ['output_checker']);
    await person('ada', ['admin']);
    const cara = await person('cara', ['data_custodian']);
    const leads: [Person, string[]][] = [
      [people.alice, ['bob']],
      [people.carol, ['carl', 'rex']],
    ];
    for (const [lead, members] of leads) {
      const team = { members: members.map((subject) => ({ subject, accreditationExpiresOn: inDays(300) })) };
      const mine = (name: string) => (membersOf[name] = [lead.subject, ...members]);
      projects[`${lead.subject}-approved`] = await approvedProject(
        lead,
        cara,
        [people.dev, people.dora],
        team,
      );
      mine(`${lead.subject}-approved`);
      for (const state of ['draft', 'pending']) {
        const id = (await lead.post('/projects', application({ ...team, title: `${state} work` }))).body.id;
        if (state === 'pending') expect((await lead.post(`/projects/${id}/submit`)).status).toBe(204);
        projects[`${lead.subject}-${state}`] = id;
        mine(`${lead.subject}-${state}`);
      }
      const projectId = projects[`${lead.subject}-approved`];
      outputs[`${lead.subject}-draft`] = (await lead.post('/outputs', { projectId, title: 'Draft' })).body.id;
      outputs[`${lead.subject}-pending`] = await pendingRequest(lead, projectId);
      mine(`${lead.subject}-draft`);
      mine(`${lead.subject}-pending`);
    }
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  const ownIds = (subject: string, all: Record<string, string>) =>
    Object.entries(all)
      .filter(([name]) => membersOf[name].includes(subject))
      .map(([, id]) => id)
      .sort();

  it('lists applications only as the detail route shows them', async () => {
    for (const [subject, who] of Object.entries(people)) {
      if (!mayList(who, ['researcher', 'dac_member', 'admin'])) continue; // the route's own 403
      const visible = await detailVisible(who, '/projects', projects);
      for (const scope of SCOPES)
        for (const status of ['', 'status=submitted', 'status=draft']) {
          const query = [scope, status, 'pageSize=100'].filter(Boolean).join('&');
          const listed = await ids(who, `/projects?${query}`);
          expect({ subject, query, hidden: listed.filter((id) => !visible.includes(id)) }).toEqual({
            subject,
            query,
            hidden: [],
          });
        }
      expect({ subject, all: await ids(who, '/projects?scope=all&pageSize=100') }).toEqual({
        subject,
        all: visible,
      });
      expect({ subject, mine: await ids(who, '/projects?scope=mine&pageSize=100') }).toEqual({
        subject,
        mine: ownIds(subject, projects),
      });
    }
    // The committee has the two pending applications to review; researchers have none.
    expect(await ids(people.dana, '/projects?scope=awaiting_review')).toEqual(
      [projects['alice-pending'], projects['carol-pending']].sort(),
    );
    expect(await ids(people.alice, '/projects?scope=awaiting_review')).toEqual([]);
  }, 120_000);

  it('lists output requests only as the detail route shows them, with and without a project', async () => {
    const projectFilters = ['', ...Object.values(projects).map((id) => `projectId=${id}`)];
    for (const [subject, who] of Object.entries(people)) {
      if (!mayList(who, ['researcher', 'output_checker', 'admin'])) continue; // the route's own 403
      const visible = await detailVisible(who, '/outputs', outputs);
      for (const scope of SCOPES)
        for (const filter of projectFilters) {
          const query = [scope, filter, 'pageSize=100'].filter(Boolean).join('&');
          const listed = await ids(who, `/outputs?${query}`);
          expect({ subject, query, hidden: listed.filter((id) => !visible.includes(id)) }).toEqual({
            subject,
            query,
            hidden: [],
          });
        }
      expect({ subject, all: await ids(who, '/outputs?scope=all&pageSize=100') }).toEqual({
        subject,
        all: visible,
      });
      expect({ subject, mine: await ids(who, '/outputs?scope=mine&pageSize=100') }).toEqual({
        subject,
        mine: ownIds(subject, outputs),
      });
    }
    expect(await ids(people.olga, '/outputs?scope=awaiting_review')).toEqual(
      [outputs['alice-pending'], outputs['carol-pending']].sort(),
    );
    // A checker on carol's project reviews only alice's; a researcher reviews nothing.
    expect(await ids(people.rex, '/outputs?scope=awaiting_review')).toEqual([outputs['alice-pending']]);
    for (const subject of ['alice', 'carol', 'bob'])
      expect(
        await ids(people[subject], `/outputs?scope=awaiting_review&projectId=${projects['carol-approved']}`),
      ).toEqual([]);
  }, 120_000);
});
