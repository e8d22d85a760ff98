import type { Server } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { ROLES } from '@tre/auth';
import { loadTokensFor, projectWithExtractRow } from '../support/load-fixtures';
import { application, callerAs, GP_DATASET, type Caller } from '../support/project-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Each cause of a 500 the review found for a client's mistake, one test each: the answer is a 4xx with a
 * message and a request id. malformed-input.e2e-spec.ts throws the same at every route.
 */
describe('client mistakes are 4xx, never 500', () => {
  let t: TestApp;
  let ada: Caller;
  let token: string;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp();
    ada = await callerAs(t, 'ada', [...ROLES]);
    token = await t.env.token('ada', [...ROLES]);
    for (const dataset of [GP_DATASET]) expect((await ada.post('/datasets', dataset)).status).toBe(201);
    const draft = await ada.post(
      '/projects',
      application({ members: [], datasets: [application().datasets[0]] }),
    );
    expect(draft.status).toBe(201);
    projectId = draft.body.id as string;
  });
  afterAll(() => t.close());

  const raw = (method: 'post' | 'patch' | 'get', path: string, body?: string | Buffer) => {
    const req = request(t.app.getHttpServer())[method](path).set('Authorization', `Bearer ${token}`);
    return body === undefined
      ? req
      : req
          .set('Content-Type', 'application/json')
          .serialize((x: unknown) => x as string)
          .send(body);
  };

  /** A refusal in the API's shape: the status, a message that says what, the request id in body and header. */
  const refused = (response: request.Response, status: number, message: RegExp) => {
    expect({ status: response.status, message: response.body.message as unknown }).toEqual({
      status,
      message: expect.stringMatching(message),
    });
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  };

  it('refuses JSON nested thousands deep, on every kind of route (the loader completion included)', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    refused(await raw('post', '/projects', deep), 400, /nested deeper than 32/);
    refused(await raw('patch', `/projects/${projectId}`, `{"title":${deep}}`), 400, /nested deeper/);
    const { projectId: loaded, extractId } = await projectWithExtractRow(t, 'pending');
    const grant = (await loadTokensFor(t, loaded, extractId)).valid;
    const completion = await request(t.app.getHttpServer())
      .post(`/workspace-load/${grant.scope.workspaceId}/extracts/${extractId}/completion`)
      .set('Authorization', `Bearer ${grant.token}`)
      .set('Content-Type', 'application/json')
      .send(`{"filesVerified":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    refused(completion, 400, /nested deeper/);
  });

  it('refuses a NUL character anywhere: query, body, key, path', async () => {
    refused(await raw('get', '/datasets?q=a%00b'), 400, /query\.q holds a NUL/);
    refused(
      await raw('post', '/projects', JSON.stringify({ title: 'a\u0000b' })),
      400,
      /body\.title holds a NUL/,
    );
    refused(await raw('post', '/projects', '{"a\\u0000":1}'), 400, /key holding a NUL/);
    refused(await raw('get', '/datasets/GP%00'), 400, /path holds a NUL/);
    refused(await raw('get', '/datasets/%E0%A4%A'), 400, /percent-encoded/);
  });

  it('refuses a corrupt gzip, deflate or brotli body, and one past the limit once inflated', async () => {
    const garbage = Buffer.from('not compressed at all');
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const response = await raw('post', '/projects', garbage).set('Content-Encoding', encoding);
      refused(response, 400, /could not be decompressed/);
    }
    const bomb = gzipSync(' '.repeat(3 * 1024 * 1024));
    refused(await raw('post', '/projects', bomb).set('Content-Encoding', 'gzip'), 413, /too large/);
    refused(await raw('post', '/projects', '{}').set('Content-Encoding', 'x-unknown'), 415, /encoding/);
    // A well-formed compressed body is read as usual (it reaches validation).
    const compressed = await raw('post', '/projects', brotliCompressSync('{}')).set('Content-Encoding', 'br');
    refused(compressed, 400, /Invalid request: title/);
  });

  it('reads a JSON body that says it is JSON and holds nothing as an empty object, and refuses other charsets', async () => {
    // A client that sets the header on every call (the web app's actions send no body) means nothing more.
    refused(await raw('post', '/projects', ''), 400, /Invalid request: title/);
    refused(await raw('post', '/projects', '  \n'), 400, /Invalid request: title/);
    const latin = await raw('post', '/projects', '{}').set(
      'Content-Type',
      'application/json; charset=latin1',
    );
    refused(latin, 415, /charset "LATIN1"/);
    const form = await request(t.app.getHttpServer())
      .post('/projects')
      .set('Authorization', `Bearer ${token}`)
      .type('form')
      .send('title=A%20form%20title');
    // The form is read: its title passes, everything it lacks is named.
    refused(form, 400, /^Invalid request: laySummary,/);
  });

  it('refuses page numbers and versions past the integer range', async () => {
    refused(await raw('get', '/projects?page=99999999999999999999'), 400, /page/);
    refused(await raw('get', '/datasets?page=1e20'), 400, /page/);
    refused(await raw('get', `/audit?page=2147483648`), 400, /page/);
    for (const version of ['99999999999999999999', '2147483648', '0', '-1']) {
      refused(await raw('get', `/projects/${projectId}/versions/${version}`), 400, /whole number from 1/);
    }
    // A sane version passes the pipe (a draft has no submitted version yet: 404, not 400).
    expect((await raw('get', `/projects/${projectId}/versions/1`)).status).toBe(404);
  });

  it('refuses null in the optional fields of a project update', async () => {
    for (const field of ['members', 'datasets', 'title', 'requestedEndDate']) {
      refused(await ada.patch(`/projects/${projectId}`, { [field]: null }), 400, new RegExp(field));
    }
    expect((await ada.patch(`/projects/${projectId}`, { title: 'Still a draft' })).status).toBe(204);
  });

  it('refuses a dataset without a source, or with a list where the source object belongs', async () => {
    const withoutSource: Partial<typeof GP_DATASET> = { ...GP_DATASET, code: 'NO_SOURCE' };
    delete withoutSource.source;
    refused(await ada.post('/datasets', withoutSource), 400, /source/);
    refused(await ada.post('/datasets', { ...GP_DATASET, code: 'LIST_SOURCE', source: [{}] }), 400, /source/);
    refused(await ada.patch('/datasets/GP_REGISTRATIONS', { source: [{}] }), 400, /source/);
    refused(await ada.patch('/datasets/GP_REGISTRATIONS', { source: 'public.users' }), 400, /source/);
  });

  it('refuses dates that do not exist, in applications and votes', async () => {
    for (const date of ['2099-02-30', '2100-02-29', '2099-04-31']) {
      refused(await ada.patch(`/projects/${projectId}`, { requestedEndDate: date }), 400, /requestedEndDate/);
      const created = await ada.post('/projects', application({ members: [], accreditationExpiresOn: date }));
      refused(created, 400, /accreditationExpiresOn/);
    }
    refused(
      await ada.post(`/projects/${projectId}/votes`, {
        decision: 'approve',
        comment: 'ok',
        endDate: '2099-02-30',
      }),
      400,
      /endDate/,
    );
    expect((await ada.patch(`/projects/${projectId}`, { requestedEndDate: '2096-02-29' })).status).toBe(204);
  });

  it("keeps Node's limits on slow and idle clients (the framework's own defaults would drop them)", () => {
    const server = t.app.getHttpServer() as Server;
    // A request that trickles in is cut after 5 minutes, an idle kept-alive socket after 5 s.
    expect({
      request: server.requestTimeout,
      idle: server.keepAliveTimeout,
      headers: server.headersTimeout,
    }).toEqual({ request: 300_000, idle: 5_000, headers: 60_000 });
  });
});
