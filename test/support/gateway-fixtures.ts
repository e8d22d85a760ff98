import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type Agent,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import { type DataSource } from 'typeorm';
import { WebSocket, WebSocketServer } from 'ws';
import { eventsChannel, redisOptionsFromUrl } from '@tre/core';
import { Gateway } from '../../apps/gateway/src/gateway';
import type { TestApp } from './test-app';
import { approvedProject } from './workspace-fixtures';

export const GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdef0123';

/** A stand-in tool: answers HTTP with what it saw, echoes WebSocket messages, and records every request. */
export interface StandIn {
  url: URL;
  hits: { method: string; url: string; headers: IncomingHttpHeaders }[];
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  const hits: StandIn['hits'] = [];
  const server: Server = createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/attachment')) {
        res.writeHead(200, { 'content-disposition': 'attachment; filename="data.csv"' });
        return void res.end('nhs_number\n1234567890\n');
      }
      // The attachment second of two Content-Disposition headers.
      if (req.url?.endsWith('/attachment-second')) {
        res.writeHead(200, [
          ['Content-Disposition', 'inline'],
          ['Content-Disposition', 'attachment; filename="data.csv"'],
        ]);
        return void res.end('nhs_number\n1234567890\n');
      }
      // A redirect to the tool's own origin (as a tool that knows its address answers).
      if (req.url?.endsWith('/redirect')) {
        const host = req.headers['x-forwarded-host']
          ? `http://${req.socket.localAddress}:${req.socket.localPort}`
          : '';
        res.writeHead(302, {
          location: `${host}${req.url.replace(/redirect$/, 'lab')}`,
          'set-cookie': ['a=1', 'b=2'],
        });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, cookie: req.headers.cookie ?? null }));
    });
  });
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket, req) => {
    hits.push({ method: 'WS', url: req.url ?? '', headers: req.headers });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => socket.send(data));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    hits,
    sockets,
    close: async () => {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The API listening on a port of its own, as the gateway reaches it. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const address = (t.app.getHttpServer() as Server).address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

export async function startGateway(
  t: TestApp,
  apiUrl: string,
  upstream: URL,
  options: { decisionCacheMs?: number; sweepMs?: number } = {},
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = new Gateway({
    port: 0,
    host: '127.0.0.1',
    apiUrl,
    apiSecret: GATEWAY_SECRET,
    publicUrl: 'http://localhost:3002',
    redis: redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    eventsChannel: eventsChannel(t.env.queuePrefix),
    decisionCacheMs: options.decisionCacheMs ?? 10_000,
    sweepMs: options.sweepMs ?? 60_000,
    reportMs: 300,
    localUpstreams: new Map([['*', upstream]]),
  });
  const port = await gateway.start();
  return { gateway, url: `http://127.0.0.1:${port}` };
}

/** An approved project with a ready workspace and `members` (subject -> accreditation expiry), written directly. */
export async function readyWorkspace(
  dataSource: DataSource,
  members: Record<string, string>,
): Promise<{ projectId: string; workspaceId: string }> {
  const { projectId, approvalId } = await approvedProject(dataSource);
  const workspaceId = randomUUID();
  await dataSource.query(
    `INSERT INTO workspaces (id, project_id, approval_id, size, tool, namespace, state)
     VALUES ($1, $2, $3, 'small', 'jupyterlab', $4, 'ready')`,
    [workspaceId, projectId, approvalId, `tre-ws-${workspaceId}`],
  );
  for (const [subject, expires] of Object.entries(members)) {
    await dataSource.query(
      `INSERT INTO project_members (project_id, subject, role, accreditation_expires_on) VALUES ($1, $2, 'member', $3)`,
      [projectId, subject, expires],
    );
  }
  return { projectId, workspaceId };
}

/**
 * A plain HTTP call to the gateway (supertest would follow nothing, but keeps no cookie jar either); `agent`
 * sends it over a given pool (kept-alive connections), and the answer names the socket it came on.
 */
export function gatewayGet(
  base: string,
  path: string,
  cookie?: string,
  method = 'GET',
  body?: string,
  agent?: Agent,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, base),
      {
        method,
        agent,
        headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            socket: res.socket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a session as `token`'s person and redeems its ticket at the gateway: the cookie, and the ticket. */
export async function openSession(
  t: TestApp,
  gatewayUrl: string,
  workspaceId: string,
  token: string,
): Promise<{ cookie: string; setCookie: string; ticket: string; sessionId: string }> {
  const opened = await request(t.app.getHttpServer())
    .post(`/workspaces/${workspaceId}/sessions`)
    .set('Authorization', `Bearer ${token}`);
  if (opened.status !== 201)
    throw new Error(`opening a session: ${opened.status} ${JSON.stringify(opened.body)}`);
  const body = opened.body as { ticket: string; sessionId: string; openUrl: string };
  const redeemed = await gatewayGet(gatewayUrl, `/w/${workspaceId}/_tre/redeem?ticket=${body.ticket}`);
  if (redeemed.status !== 303) throw new Error(`redeeming: ${redeemed.status} ${redeemed.body}`);
  const setCookie = String(redeemed.headers['set-cookie']?.[0] ?? '');
  return { cookie: setCookie.split(';')[0], setCookie, ticket: body.ticket, sessionId: body.sessionId };
}

/** A WebSocket through the gateway, open. */
export function openSocket(gatewayUrl: string, path: string, cookie?: string): Promise<WebSocket> {
  const socket = new WebSocket(new URL(path, gatewayUrl.replace('http', 'ws')), {
    headers: cookie ? { cookie } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

/** When the socket closed (ms since the epoch); rejects if it is still open after `withinMs`. */
export function closed(socket: WebSocket, withinMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve(Date.now());
    const timer = setTimeout(
      () => reject(new Error(`the socket is still open after ${withinMs} ms`)),
      withinMs,
    );
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now());
    });
  });
}
