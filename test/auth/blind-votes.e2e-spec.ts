import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import type { Role, RouteInfo } from '@tre/auth';
import { auditCsvEvents, leaks, VOTE_ACTIONS, type CastVote } from '../support/leak-scan';
import { approvedProject, countRecord, tableCsv } from '../support/output-fixtures';
import { application, caller, type Caller } from '../support/project-fixtures';
import { allRoutes, fillPath, getRoutesReachableBy, routeKey } from '../support/route-walk';
import { startTestApp, type TestApp } from '../support/test-app';
import { eventually, startTestWorker } from '../support/test-worker';
import { addOutput } from '../support/workspace-outputs';

interface Person extends Caller {
  readonly id: string;
  readonly roles: Role[];
}

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

/**
 * Blind votes stay blind on every route. During a live committee review (two of three votes cast, no
 * decision) and a live output review (two of three checkers in), every GET route each person can reach is
 * called with the real ids of the objects, and no answer may name another voter or say how they voted; after
 * the decisions the votes are shown as designed.
 */
describe('blind votes and reviews, on every route', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let routes: RouteInfo[];
  const people = {} as Record<string, Person>;
  const dacVotes: CastVote[] = [];
  const checkerVotes: CastVote[] = [];
  const votes = (): CastVote[] => [...dacVotes, ...checkerVotes];
  let reviewed: string; // the application under review
  let approved: string; // the approved project whose outputs are under review
  let requestId: string;
  let fileId: string;
  let collectionId: string;
  let listingId: string;
  let workspaceId: string;

  const person = async (subject: string, roles: Role[]): Promise<Person> => {
    const base = caller(t.app, subject, await t.env.token(subject, roles));
    const me = await base.get('/me');
    expect(me.status).toBe(200);
    return (people[subject] = { ...base, id: me.body.id as string, roles });
  };
  const voteOn = async (who: Person, decision: string) => {
    const comment = `comment of ${who.subject} ${randomUUID()}`;
    const res = await who.post(`/projects/${reviewed}/votes`, { decision, comment });
    expect(res.status).toBe(200);
    dacVotes.push({ voterId: who.id, comment });
    return res.body as { outcome: string; status: string };
  };
  const reviewAs = async (who: Person, vote: string, method: 'post' | 'put' = 'post') => {
    const comment = `review of ${who.subject} ${randomUUID()}`;
    const path = `/outputs/${requestId}/reviews${method === 'put' ? '/mine' : ''}`;
    const body = { votes: [{ fileId, vote, comment }] };
    const res = await (method === 'put' ? who.put(path, body) : who.post(path, body));
    expect(res.status).toBe(200);
    checkerVotes.push({ voterId: who.id, comment });
    return res.body as { outcome: string; status: string };
  };

  /** The concrete calls of one route: each object it can name, and the listing variants of a list route. */
  const callsOf = (route: RouteInfo): string[] => {
    const ids: Record<string, Record<string, string>[]> = {
      '/projects/': [reviewed, approved].map((id) => ({ id, version: '1' })),
      // a project's public entry: 404 until it is approved, and never its votes
      '/register/': [reviewed, approved].map((id) => ({ id })),
      '/outputs/': [{ id: requestId, fileId, collectionId }],
      '/workspaces/': [{ id: workspaceId, listingId }],
      '/datasets/': [{ code: 'GP_REGISTRATIONS' }],
      '/output-downloads/': [{ token: 'no-such-link' }],
      // every event of this file's trail; a sealed one must answer 404 like any unknown event
      '/transparency/': Array.from({ length: 60 }, (_, i) => ({ seq: String(i + 1) })),
    };
    const prefix = Object.keys(ids).find((p) => route.path.startsWith(p));
    const paths = prefix ? ids[prefix].map((values) => fillPath(route, values)) : [fillPath(route, {})];
    const scopes = ['', '?scope=mine', '?scope=awaiting_review', '?scope=all'];
    const auditFilters = [
      '',
      `?subjectId=${reviewed}`,
      `?subjectId=${requestId}`,
      ...VOTE_ACTIONS.map((a) => `?action=${a}`),
      ...votes().map((v) => `?actorId=${v.voterId}`),
    ];
    const queries: Record<string, string[]> = {
      'GET /transparency/consistency': ['?first=1&second=1', '?first=1&second=2'],
      'GET /projects': scopes,
      'GET /outputs': [...scopes, ...scopes.map((s) => `${s ? `${s}&` : '?'}projectId=${approved}`)],
      'GET /audit': auditFilters,
      // the export carries every match, not a page: the seals must hold in it too
      'GET /audit/csv': auditFilters,
    };
    return paths.flatMap((path) => (queries[routeKey(route)] ?? ['']).map((q) => `${path}${q}`));
  };

  /**
   * Calls every GET route `who` can reach; returns what leaked of the `blind` votes, and the routes that
   * answered 200.
   */
  const walk = async (
    who: Person,
    blind: CastVote[] = votes(),
    sealed?: { actions: string[]; conflict: boolean },
  ) => {
    const found: string[] = [];
    const answered = new Set<string>();
    for (const route of getRoutesReachableBy(routes, who.roles)) {
      for (const path of callsOf(route)) {
        const res = await who.get(path);
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
        if (res.status === 200) answered.add(routeKey(route));
        const body =
          res.type === 'application/json'
            ? res.body
            : res.status === 200 && path.startsWith('/audit/csv')
              ? auditCsvEvents(res.text)
              : null;
        for (const leak of leaks(res.text, body, who.id, blind, [reviewed, requestId], sealed))
          found.push(`${who.subject} GET ${path}: ${leak}`);
      }
    }
    return { found, answered };
  };

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_PORT: '0',
      OUTPUT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-outputs-')),
      DAC_APPROVALS_REQUIRED: '3',
      DAC_QUORUM: '3',
      OUTPUT_REVIEWS_REQUIRED: '3',
    });
    worker = await startTestWorker();
    // The web app's page (and `/`, which leads to it) holds no data: each page's data comes from the routes
    // walked here. It is served only once `npm run build` has built it, so it is left out of the walk.
    routes = allRoutes(t.app).filter((route) => !['/', '/app', '/app/*'].includes(route.path));
    for (const s of ['alice', 'bob']) await person(s, ['researcher']);
    for (const s of ['dev', 'dora', 'dana', 'dax', 'dee', 'dub']) await person(s, ['dac_member']);
    for (const s of ['olga', 'oscar', 'otto']) await person(s, ['output_checker']);
    await person('ada', ['admin']);
    const cara = await person('cara', ['data_custodian']);
    const { alice, dax, dee, dub } = people;
    approved = await approvedProject(alice, cara, [dax, dee, dub]);
    const created = await alice.post('/projects', application({ title: 'Under review' }));
    reviewed = created.body.id as string;
    expect((await alice.post(`/projects/${reviewed}/submit`)).status).toBe(204);
    expect(await voteOn(people.dev, 'approve')).toEqual({ outcome: 'pending', status: 'in_review' });
    expect(await voteOn(people.dora, 'reject')).toEqual({ outcome: 'pending', status: 'in_review' });

    workspaceId = await eventually(async () => {
      const list = (await alice.get('/workspaces')).body.items as { id: string; projectId: string }[];
      return list.find((w) => w.projectId === approved)?.id;
    });
    requestId = (await alice.post('/outputs', { projectId: approved, title: 'Admissions' })).body.id;
    const added = await addOutput(alice, requestId, workspaceId, 'admissions.csv', tableCsv(TABLE), TABLE);
    expect(added.status).toBe(201);
    collectionId = added.body.collection.id as string;
    const listed = await alice.post(`/workspaces/${workspaceId}/outputs/listings`, {});
    expect(listed.status).toBe(201);
    listingId = listed.body.listing.id as string;
    expect((await alice.post(`/outputs/${requestId}/submit`)).status).toBe(202);
    const inReview = await eventually(async () => {
      const body = (await alice.get(`/outputs/${requestId}`)).body;
      return body.status === 'in_review' ? body : undefined;
    }, 20_000);
    fileId = inReview.fileList[0].id;
    expect(await reviewAs(people.olga, 'approve')).toMatchObject({ outcome: 'pending' });
    expect(await reviewAs(people.oscar, 'reject')).toMatchObject({ outcome: 'pending' });
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('during the reviews, no GET route shows anyone a vote but their own', async () => {
    const callers = ['alice', 'bob', 'dana', 'dora', 'dev', 'otto', 'olga', 'ada'];
    const found: string[] = [];
    const answered = new Set<string>();
    for (const subject of callers) {
      const walked = await walk(people[subject]);
      found.push(...walked.found);
      walked.answered.forEach((r) => answered.add(r));
    }
    expect(found).toEqual([]);
    // The transparency log's inclusion route withholds what the trail seals from the admin, as if it did not exist.
    const trail = await people.ada.get('/audit?pageSize=200');
    expect(trail.body.total).toBeLessThanOrEqual(200);
    const shown = new Set((trail.body.items as { seq: number }[]).map((e) => e.seq));
    const db = new Client({ connectionString: t.env.database.url });
    await db.connect();
    const all = await db.query<{ seq: string }>('SELECT seq FROM audit_events').finally(() => db.end());
    const hidden = all.rows.map((r) => Number(r.seq)).filter((seq) => !shown.has(seq));
    expect(hidden.length).toBeGreaterThan(0);
    for (const seq of hidden) {
      expect((await people.ada.get(`/transparency/inclusion/${seq}`)).status).toBe(404);
    }
    // The walk reached every GET route a person's token opens (all but the link that does not exist).
    const reachable = getRoutesReachableBy(routes, ['researcher', 'dac_member', 'output_checker', 'admin']);
    expect(reachable.map(routeKey).filter((r) => !answered.has(r))).toEqual(['GET /output-downloads/:token']);
    // A voter still sees their own vote, and the rest see the review going on.
    const doraVotes = (await people.dora.get(`/projects/${reviewed}/votes`)).body;
    expect(doraVotes.total).toBe(1);
    expect(doraVotes.items).toMatchObject([{ reviewerId: people.dora.id, decision: 'reject' }]);
    const timelinePage = (await people.dora.get(`/projects/${reviewed}/timeline?pageSize=200`)).body;
    const timeline = timelinePage.items as { action: string }[];
    expect(timeline.map((e) => e.action)).toEqual([
      'project.drafted',
      'project.submitted',
      'project.vote_cast',
    ]);
    // The total counts only what the page may show: the others' sealed votes are not even counted.
    expect(timelinePage.total).toBe(3);
    expect((await people.dana.get('/projects?scope=awaiting_review')).body.items).toHaveLength(1);
    expect((await people.alice.get(`/projects/${reviewed}`)).body.status).toBe('in_review');
  }, 120_000);

  it('checkers who disagree see each other once all are in; the researchers still see none', async () => {
    expect(await reviewAs(people.otto, 'approve')).toMatchObject({ outcome: 'conflicted' });
    const found: string[] = [];
    for (const subject of ['alice', 'bob', 'ada']) found.push(...(await walk(people[subject])).found);
    expect(found).toEqual([]);
    const researcherView = (await people.alice.get(`/outputs/${requestId}`)).body;
    expect(researcherView).toMatchObject({ blind: true, conflicted: false });
    const checkerView = (await people.otto.get(`/outputs/${requestId}`)).body;
    expect(checkerView).toMatchObject({ blind: false, conflicted: true });
    expect(checkerView.fileList[0].reviews).toHaveLength(3);
    // Checkers may now see the events of the round; the committee's votes are still sealed from them.
    const otto = await walk(people.otto, dacVotes, {
      actions: ['project.vote_cast', 'project.review_started'],
      conflict: false,
    });
    expect(otto.found).toEqual([]);
  }, 120_000);

  it('after the decisions, the votes are shown as designed', async () => {
    expect(await voteOn(people.dana, 'approve')).toEqual({ outcome: 'reject', status: 'rejected' });
    const shown = (await people.alice.get(`/projects/${reviewed}/votes`)).body;
    expect(shown.blind).toBe(false);
    expect(
      shown.items.map((v: { reviewerId: string; decision: string }) => [v.reviewerId, v.decision]),
    ).toEqual([
      [people.dev.id, 'approve'],
      [people.dora.id, 'reject'],
      [people.dana.id, 'approve'],
    ]);
    const timeline = (await people.bob.get(`/projects/${reviewed}/timeline?pageSize=200`)).body.items as {
      action: string;
      actorId: string;
    }[];
    expect(timeline.filter((e) => e.action === 'project.vote_cast').map((e) => e.actorId)).toEqual([
      people.dev.id,
      people.dora.id,
      people.dana.id,
    ]);
    expect(timeline.find((e) => e.action === 'project.review_started')?.actorId).toBe(people.dev.id);

    expect(await reviewAs(people.oscar, 'approve', 'put')).toMatchObject({ outcome: 'approve' });
    const released = (await people.alice.get(`/outputs/${requestId}`)).body;
    expect(released).toMatchObject({ status: 'released', blind: false, conflicted: true });
    expect(released.fileList[0].reviews.map((r: { checkerId: string }) => r.checkerId).sort()).toEqual(
      [people.olga.id, people.oscar.id, people.otto.id].sort(),
    );
    const audit = (await people.ada.get(`/audit?subjectId=${requestId}&action=output.reviewed`)).body;
    expect(audit.total).toBe(3);
  }, 120_000);
});
