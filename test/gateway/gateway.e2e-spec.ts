import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
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
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The access gateway end to end: the API, a stand-in tool (HTTP and WebSocket) and gateway replicas, over real
 * Postgres and Redis. Every refusal leaves the tool untouched; a revocation cuts every replica's sockets.
 */
/** A GET (or a WebSocket upgrade) with its path sent exactly as written; resolves with the status. */
const rawGet = (base: string, path: string, cookie: string, upgrade = false) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const upgradeHeaders = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
    };
    const headers = { cookie, ...(upgrade ? upgradeHeaders : {}) };
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

describe('access gateway', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let standIn: StandIn;
  let apiUrl: string;
  let gw: { gateway: Gateway; url: string };
  const CURRENT = '2099-01-01';

  const audit = async (workspaceId: string, action: string) =>
    dataSource.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_events WHERE subject_id = $1 AND action = $2 ORDER BY seq`,
      [workspaceId, action],
    );

  beforeAll(async () => {
    t = await startTestApp({ GATEWAY_API_SECRET: GATEWAY_SECRET });
    dataSource = t.app.get(DataSource);
    apiUrl = await listen(t);
    standIn = await startStandIn();
    gw = await startGateway(t, apiUrl, standIn.url);
  });
  afterAll(async () => {
    await gw.gateway.close();
    await standIn.close();
    await t.close();
  });

  it('redeems a ticket once for a workspace-scoped cookie, and proxies HTTP and WebSocket with it', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { ada: CURRENT });
    const token = await t.env.token('ada', ['researcher']);
    const session = await openSession(t, gw.url, workspaceId, token);
    expect(session.setCookie).toMatch(
      new RegExp(`^tre_session=trgs_[\\w-]{43}; Path=/w/${workspaceId}/; HttpOnly; SameSite=Strict$`),
    );

    const page = await gatewayGet(gw.url, `/w/${workspaceId}/api/status`, `${session.cookie}; _xsrf=abc`);
    expect(page.status).toBe(200);
    // The tool sees its own cookies, never the session token.
    expect(JSON.parse(page.body)).toEqual({ path: `/w/${workspaceId}/api/status`, cookie: '_xsrf=abc' });
    // X-Forwarded-* as http-proxy-3's xfwd sets them: added by the gateway to HTTP requests, by http-proxy-3 to
    // WebSocket upgrades.
    const gatewayHost = new URL(gw.url).host;
    const forwarded = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-forwarded-')));
    expect(forwarded(standIn.hits.at(-1)!.headers)).toEqual({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': new URL(gw.url).port,
      'x-forwarded-proto': 'http',
      'x-forwarded-host': gatewayHost,
    });

    const socket = await openSocket(gw.url, `/w/${workspaceId}/api/kernels/k/channels`, session.cookie);
    const echoed = new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.send('hello');
    expect(await echoed).toBe('hello');
    socket.close();
    expect(forwarded(standIn.hits.at(-1)!.headers)).toEqual({
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': new URL(gw.url).port,
      'x-forwarded-proto': 'ws',
    });

    const before = standIn.hits.length;
    const reused = await gatewayGet(gw.url, `/w/${workspaceId}/_tre/redeem?ticket=${session.ticket}`);
    expect([reused.status, reused.body]).toEqual([403, 'Refused: ticket_used']);
    expect(standIn.hits.length).toBe(before);

    expect(await audit(workspaceId, 'workspace.session_ticket_issued')).toHaveLength(1);
    expect(await audit(workspaceId, 'workspace.session_started')).toHaveLength(1);
    expect((await audit(workspaceId, 'workspace.session_denied')).map((e) => e.details.reason)).toEqual([
      'ticket_used',
    ]);
    // Nothing of the ticket or token is in the trail.
    const trail = JSON.stringify(await dataSource.query(`SELECT details FROM audit_events`));
    expect(trail).not.toContain(session.ticket);
    expect(trail).not.toContain(session.cookie.split('=')[1]);
  });

  it('refuses, with nothing proxied: no cookie, another workspace, a reused or expired ticket, a non-member, a lapsed accreditation, a suspended project, a workspace not ready', async () => {
    const a = await readyWorkspace(dataSource, { bea: CURRENT });
    const b = await readyWorkspace(dataSource, { bea: CURRENT });
    const bea = await t.env.token('bea', ['researcher']);
    const inA = await openSession(t, gw.url, a.workspaceId, bea);
    const before = standIn.hits.length;
    const expectRefused = async (
      path: string,
      cookie: string | undefined,
      status: number,
      reason: string,
      gatewayUrl = gw.url,
    ) => {
      const response = await gatewayGet(gatewayUrl, path, cookie);
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status,
        body: `Refused: ${reason}`,
      });
    };

    await expectRefused(`/w/${a.workspaceId}/api/status`, undefined, 401, 'no_session');
    await expectRefused(`/w/${b.workspaceId}/api/status`, inA.cookie, 403, 'wrong_workspace');
    await expectRefused(`/w/${a.workspaceId}/api/status`, 'tre_session=trgs_forged', 403, 'unknown_session');
    await expect(openSocket(gw.url, `/w/${a.workspaceId}/api/kernels/k/channels`)).rejects.toThrow('401');
    await expect(
      openSocket(gw.url, `/w/${b.workspaceId}/api/kernels/k/channels`, inA.cookie),
    ).rejects.toThrow('403');

    // An expired ticket.
    const opened = await request(t.app.getHttpServer())
      .post(`/workspaces/${b.workspaceId}/sessions`)
      .set('Authorization', `Bearer ${bea}`);
    expect(opened.status).toBe(201);
    await dataSource.query(
      `UPDATE workspace_sessions SET ticket_expires_at = now() - interval '1 second' WHERE id = $1`,
      [opened.body.sessionId],
    );
    await expectRefused(
      `/w/${b.workspaceId}/_tre/redeem?ticket=${opened.body.ticket}`,
      undefined,
      403,
      'ticket_expired',
    );

    // Each live-state refusal, on a session opened while all was well, through a replica that caches no
    // decision (a cached one lasts at most 10 s, and redeeming a ticket counts as one); these changes are
    // written straight to the tables, so no revocation is announced and only the live decision can refuse.
    const fresh = await startGateway(t, apiUrl, standIn.url, { decisionCacheMs: 1 });
    const cases: [
      string,
      (ids: { projectId: string; workspaceId: string }) => Promise<unknown>,
      number,
      string,
    ][] = [
      [
        'not_member',
        (ids) => dataSource.query(`DELETE FROM project_members WHERE project_id = $1`, [ids.projectId]),
        404,
        'not_member',
      ],
      [
        'accreditation_lapsed',
        (ids) =>
          dataSource.query(
            `UPDATE project_members SET accreditation_expires_on = '2000-01-01' WHERE project_id = $1`,
            [ids.projectId],
          ),
        403,
        'accreditation_lapsed',
      ],
      [
        'project suspended',
        (ids) => dataSource.query(`UPDATE projects SET status = 'suspended' WHERE id = $1`, [ids.projectId]),
        409,
        'project_not_approved',
      ],
      [
        'workspace not ready',
        (ids) =>
          dataSource.query(`UPDATE workspaces SET state = 'suspended' WHERE id = $1`, [ids.workspaceId]),
        409,
        'workspace_not_ready',
      ],
    ];
    for (const [what, change, openStatus, reason] of cases) {
      const ids = await readyWorkspace(dataSource, { cyd: CURRENT });
      const cyd = await t.env.token('cyd', ['researcher']);
      const live = await openSession(t, fresh.url, ids.workspaceId, cyd);
      await change(ids);
      await expectRefused(`/w/${ids.workspaceId}/api/status`, live.cookie, 403, reason, fresh.url);
      const again = await request(t.app.getHttpServer())
        .post(`/workspaces/${ids.workspaceId}/sessions`)
        .set('Authorization', `Bearer ${cyd}`);
      expect({ what, status: again.status }).toEqual({ what, status: openStatus });
      expect((await audit(ids.workspaceId, 'workspace.session_denied')).map((e) => e.details.reason)).toEqual(
        [reason],
      );
      expect(await audit(ids.workspaceId, 'workspace.session_ended')).toHaveLength(1);
    }
    await fresh.gateway.close();
    expect(standIn.hits.length).toBe(before);
  });

  it('refuses download and upload paths and attachments, each audited with its path', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { dee: CURRENT });
    const session = await openSession(t, gw.url, workspaceId, await t.env.token('dee', ['researcher']));
    const base = `/w/${workspaceId}`;
    const before = standIn.hits.length;
    for (const path of [
      `${base}/files/data/extract.csv`,
      `${base}/files/data/extract.csv?download=1`,
      `${base}/nbconvert/html/analysis.ipynb`,
      `${base}/%66iles/data/extract.csv`,
      `${base}/tree/data?download=1`,
    ]) {
      expect({ path, status: (await gatewayGet(gw.url, path, session.cookie)).status }).toEqual({
        path,
        status: 403,
      });
    }
    // Dot segments and backslashes, which the proxy's URL parser would resolve into a refused path, sent as
    // they are (new URL() would resolve them here, in the client).
    for (const path of [
      `${base}/tree/../files/data/extract.csv`,
      `${base}/tree/%2e%2e/nbconvert/html/analysis.ipynb`,
      `${base}/tree\\..\\files/data/extract.csv`,
      // A fragment, which a parser drops: the rules would judge `format=base64#`, the tool read `format=base64`.
      `${base}/api/contents/data/extract.csv?format=base64#`,
    ]) {
      expect({ path, status: await rawGet(gw.url, path, session.cookie) }).toEqual({ path, status: 400 });
    }
    // The same spellings as WebSocket upgrades: refused before any socket reaches the tool.
    const socketsBefore = standIn.sockets.size;
    for (const path of [
      `${base}/api/kernels/../../files/k/channels`,
      `${base}/api/kernels/%2e%2e/k/channels`,
    ]) {
      expect({ path, status: await rawGet(gw.url, path, session.cookie, true) }).toEqual({
        path,
        status: 400,
      });
    }
    expect(standIn.sockets.size).toBe(socketsBefore);
    const upload = JSON.stringify({ type: 'file', format: 'base64', content: 'aGVsbG8=' });
    expect(
      (await gatewayGet(gw.url, `${base}/api/contents/up.csv`, session.cookie, 'PUT', upload)).status,
    ).toBe(403);
    expect(standIn.hits.length).toBe(before);

    // Saving a notebook is work in the tool, not an upload.
    const save = JSON.stringify({ type: 'notebook', format: 'json', content: { cells: [] } });
    expect(
      (await gatewayGet(gw.url, `${base}/api/contents/a.ipynb`, session.cookie, 'PUT', save)).status,
    ).toBe(200);

    const attachment = await gatewayGet(gw.url, `${base}/api/attachment`, session.cookie);
    expect([attachment.status, attachment.body]).toEqual([403, 'Refused: blocked_download']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blocked = await audit(workspaceId, 'workspace.download_blocked');
    expect(blocked.map((e) => [e.details.reason, e.details.path])).toEqual(
      expect.arrayContaining([
        ['blocked_download', `${base}/files/data/extract.csv`],
        ['blocked_download', `${base}/nbconvert/html/analysis.ipynb`],
        ['blocked_upload', `${base}/api/contents/up.csv`],
        ['blocked_download', `${base}/api/attachment`],
      ]),
    );
  });

  it("judges every request on one kept-alive connection by its own cookie, and passes the tool's headers on", async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { eve: CURRENT });
    const session = await openSession(t, gw.url, workspaceId, await t.env.token('eve', ['researcher']));
    const base = `/w/${workspaceId}`;
    // One connection for every request: the gateway remembers the Cookie headers it parsed.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const connections = new Set<unknown>();
    const get = async (path: string, cookie?: string) => {
      const answer = await gatewayGet(gw.url, path, cookie, 'GET', undefined, agent);
      connections.add(answer.socket);
      return answer;
    };
    try {
      const allowed = await get(`${base}/api/status`, `${session.cookie}; _xsrf=one`);
      expect([allowed.status, JSON.parse(allowed.body).cookie]).toEqual([200, '_xsrf=one']);
      expect((await get(`${base}/api/status`, 'tre_session=trgs_forged; _xsrf=one')).body).toBe(
        'Refused: unknown_session',
      );
      expect((await get(`${base}/api/status`, '_xsrf=one')).body).toBe('Refused: no_session');
      const again = await get(`${base}/api/status`, `_xsrf=two; ${session.cookie}`);
      expect([again.status, JSON.parse(again.body).cookie]).toEqual([200, '_xsrf=two']);
      expect(connections.size).toBe(1);

      // Any attachment among several Content-Disposition headers refuses the answer.
      expect((await get(`${base}/api/attachment-second`, session.cookie)).body).toBe(
        'Refused: blocked_download',
      );
      // A redirect to the tool's own origin becomes a path on the gateway; every Set-Cookie passes.
      const redirected = await get(`${base}/api/redirect`, session.cookie);
      expect([redirected.status, redirected.headers.location, redirected.headers['set-cookie']]).toEqual([
        302,
        `${base}/api/lab`,
        ['a=1', 'b=2'],
      ]);
      // The tool is asked for the path as it was sent and judged, not as a URL parser rebuilt it (which
      // re-encoded `{` as %7B, and `'` in the query as %27).
      const judged = `${base}/api/contents/a{1}.csv?q='x'`;
      expect(await rawGet(gw.url, judged, session.cookie)).toBe(200);
      expect(standIn.hits.at(-1)?.url).toBe(judged);
    } finally {
      agent.destroy();
    }
  });

  it('cuts the sockets on two replicas within 2 s of one suspension; the next request is refused', async () => {
    const second = await startGateway(t, apiUrl, standIn.url);
    try {
      const { projectId, workspaceId } = await readyWorkspace(dataSource, { eli: CURRENT });
      const session = await openSession(t, gw.url, workspaceId, await t.env.token('eli', ['researcher']));
      const path = `/w/${workspaceId}/api/kernels/k/channels`;
      const sockets = [
        await openSocket(gw.url, path, session.cookie),
        await openSocket(second.url, path, session.cookie),
      ];
      const closings = sockets.map((socket) => closed(socket));
      const dac = await t.env.token('dan', ['dac_member']);
      const started = Date.now();
      const suspended = await request(t.app.getHttpServer())
        .post(`/projects/${projectId}/suspend`)
        .set('Authorization', `Bearer ${dac}`)
        .send({ reason: 'Breach under investigation' });
      expect(suspended.status).toBeLessThan(300);
      const times = await Promise.all(closings);
      const slowest = Math.max(...times) - started;
      expect(slowest).toBeLessThan(2000);
      for (const url of [gw.url, second.url]) {
        const next = await gatewayGet(url, `/w/${workspaceId}/api/status`, session.cookie);
        expect(next.status).toBe(403);
      }
      // The gateways cut at the announcement; the API's re-check records the end just after.
      const reason = async () =>
        (
          await dataSource.query<{ end_reason: string | null }[]>(
            `SELECT end_reason FROM workspace_sessions WHERE id = $1`,
            [session.sessionId],
          )
        )[0].end_reason;
      const deadline = Date.now() + 3000;
      while ((await reason()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await reason()).toBe('suspended');
    } finally {
      await second.gateway.close();
    }
  });

  it('re-checks a session in use against live state before its decision is a TTL old, with nothing announced', async () => {
    // The membership is deleted straight from the table: no revocation is announced, so only the gateway's
    // re-check of the sessions in use (from half the TTL on) can cut the socket before the decision expires.
    const TTL = 4_000;
    const quick = await startGateway(t, apiUrl, standIn.url, { decisionCacheMs: TTL });
    try {
      const { projectId, workspaceId } = await readyWorkspace(dataSource, { gus: CURRENT });
      const session = await openSession(t, quick.url, workspaceId, await t.env.token('gus', ['researcher']));
      const decided = Date.now(); // redeeming the ticket was the session's first decision
      const socket = await openSocket(quick.url, `/w/${workspaceId}/api/kernels/k/channels`, session.cookie);
      const closing = closed(socket, 2 * TTL);
      await dataSource.query(`DELETE FROM project_members WHERE project_id = $1`, [projectId]);
      // Requests keep the session in use; they are answered from the cached decision until the re-check.
      let status = 200;
      while (status === 200 && Date.now() - decided < 2 * TTL) {
        status = (await gatewayGet(quick.url, `/w/${workspaceId}/api/status`, session.cookie)).status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(403);
      expect((await closing) - decided).toBeLessThan(TTL);
      const ended = await dataSource.query<{ end_reason: string }[]>(
        `SELECT end_reason FROM workspace_sessions WHERE id = $1`,
        [session.sessionId],
      );
      expect(ended[0].end_reason).toBe('revoked');
    } finally {
      await quick.gateway.close();
    }
  });

  it('adds up an activity report in one statement, a session named twice counted twice', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { hal: CURRENT, ida: CURRENT });
    // Sessions opened but not redeemed: no gateway holds them, so no other report touches their counts.
    const open = async (subject: string) =>
      (
        await request(t.app.getHttpServer())
          .post(`/workspaces/${workspaceId}/sessions`)
          .set('Authorization', `Bearer ${await t.env.token(subject, ['researcher'])}`)
      ).body.sessionId as string;
    const [hal, ida] = [await open('hal'), await open('ida')];
    const reported = await request(t.app.getHttpServer())
      .post('/gateway/activity')
      .set('Authorization', `Bearer ${GATEWAY_SECRET}`)
      .send({
        reports: [
          { sessionId: hal, bytesIn: 100, bytesOut: 10, lastActivityAt: '2098-01-01T00:00:02.000Z' },
          { sessionId: ida, bytesIn: 7, bytesOut: 3, lastActivityAt: '2098-01-01T00:00:00.000Z' },
          { sessionId: hal, bytesIn: 50, bytesOut: 5, lastActivityAt: '2098-01-01T00:00:01.000Z' },
        ],
      });
    expect(reported.status).toBe(204);
    const rows = await dataSource.query<{ id: string; bytes_in: string; bytes_out: string; last: string }[]>(
      `SELECT id, bytes_in, bytes_out, to_char(last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS last
       FROM workspace_sessions WHERE id = ANY($1)`,
      [[hal, ida]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(hal)).toMatchObject({ bytes_in: '150', bytes_out: '15', last: '2098-01-01 00:00:02' });
    expect(byId.get(ida)).toMatchObject({ bytes_in: '7', bytes_out: '3', last: '2098-01-01 00:00:00' });
  });

  it('lets an admin see sessions with their bytes and terminate one, cutting it everywhere', async () => {
    const { workspaceId } = await readyWorkspace(dataSource, { fay: CURRENT });
    const session = await openSession(t, gw.url, workspaceId, await t.env.token('fay', ['researcher']));
    const socket = await openSocket(gw.url, `/w/${workspaceId}/api/kernels/k/channels`, session.cookie);
    socket.send('x'.repeat(1000));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const admin = await t.env.token('root', ['admin']);
    const listed = await request(t.app.getHttpServer())
      .get('/sessions?live=true')
      .set('Authorization', `Bearer ${admin}`);
    const mine = (listed.body as { id: string; bytesIn: number; bytesOut: number; state: string }[]).find(
      (s) => s.id === session.sessionId,
    );
    expect(mine).toMatchObject({ state: 'live' });
    expect(mine!.bytesIn).toBeGreaterThan(1000);
    expect(mine!.bytesOut).toBeGreaterThan(1000);

    const closing = closed(socket);
    const started = Date.now();
    const ended = await request(t.app.getHttpServer())
      .delete(`/sessions/${session.sessionId}`)
      .set('Authorization', `Bearer ${admin}`);
    expect(ended.body).toMatchObject({ state: 'ended', endReason: 'terminated' });
    expect((await closing) - started).toBeLessThan(2000);
    const again = await request(t.app.getHttpServer())
      .delete(`/sessions/${session.sessionId}`)
      .set('Authorization', `Bearer ${admin}`);
    expect([again.status, again.body.message]).toEqual([409, 'The session already ended (terminated)']);
    expect((await gatewayGet(gw.url, `/w/${workspaceId}/api/status`, session.cookie)).status).toBe(403);
  });
});
