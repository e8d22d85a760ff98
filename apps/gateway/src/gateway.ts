import { createHash } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Stream, type Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { createProxyServer, type ErrorCallback, type ProxyServer, type ServerOptions } from 'http-proxy-3';
import type { RedisOptions } from 'ioredis';
import { GatewayApiClient, type Decision, type GrantedSession } from './api-client';
import {
  clearedCookie,
  cookieIsSecure,
  SESSION_COOKIE,
  sessionCookie,
  splitCookie,
  type SplitCookie,
} from './cookies';
import { DecisionCache } from './decision-cache';
import { addForwardedHeaders } from './forwarded';
import { gatewayMetrics, type GatewayMetrics } from './gateway-metrics';
import { RevocationListener, type Revocation } from './revocations';
import { SessionRegistry, type HeldSession } from './session-registry';
import {
  isAttachment,
  isCanonicalPath,
  isUploadBody,
  needsBodyCheck,
  profileOf,
  refusalFor,
  type ToolProfile,
} from './tool-rules';
import { upstreamOf, type SessionRoute } from './upstreams';

export interface GatewayOptions {
  port: number;
  host?: string;
  apiUrl: string;
  apiSecret: string;
  publicUrl: string;
  redis: RedisOptions;
  eventsChannel: string;
  decisionCacheMs: number;
  sweepMs: number;
  /** How often bytes and activity are reported to the API (idleness is judged there). */
  reportMs: number;
  localUpstreams: Map<string, URL>;
  defaultMetrics?: boolean;
}

const WORKSPACE_PATH = /^\/w\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/.*)?$/i;
const MAX_INSPECTED_BODY = 64 * 1024 * 1024;
/** Upstream connections kept per tool origin: enough for a busy workspace, bounded against a runaway one. */
const UPSTREAM_SOCKETS = 256;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

interface Admitted {
  held: HeldSession;
  session: GrantedSession;
  profile: ToolProfile;
}
interface Refused {
  status: number;
  reason: string;
}
interface Proxied {
  held: HeldSession;
  workspaceId: string;
  path: string;
  upstream: URL;
  res: ServerResponse;
  bytesOut: { inc(value: number): void };
}
/**
 * A request's context rides on the request itself (and on the tool's answer to it), for the listeners shared
 * by every request to find: a WeakMap entry per request (an ephemeron the GC must trace specially, a thousand a
 * second) cost more than the property, and a closure per listener per request more than a `this`.
 */
const PROXIED = Symbol('proxied');
type ProxiedRequest = IncomingMessage & { [PROXIED]?: Proxied };

/** Where a session's requests go, and http-proxy-3's options for them: objects per decision, not per request. */
interface Target {
  upstream: URL;
  /** For a request without a body (NO_BODY), for one whose body is piped to the tool, and for a WebSocket. */
  bodiless: ServerOptions;
  piped: ServerOptions;
  socket: ServerOptions;
}

/**
 * A request body for http-proxy-3, which pipes `buffer` (or else the request) into its request to the tool.
 * Piping a request that has no body set up pipe()'s listeners on both streams for nothing, a thousand times a
 * second: a request with neither Content-Length nor Transfer-Encoding has none (RFC 9112 6.3), so the request
 * to the tool is ended at once; one whose body the gateway read to judge it is sent as read.
 */
class KnownBody extends Stream {
  constructor(private readonly body?: Buffer) {
    super();
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T): T {
    (destination as unknown as Writable).end(this.body);
    return destination;
  }
}
const NO_BODY = new KnownBody();

/** The tool's answer, chunk by chunk, to the person: counted, and paused while their connection is full. */
function toolData(this: IncomingMessage & { [PROXIED]?: Proxied }, chunk: Buffer): void {
  const context = this[PROXIED]!;
  context.held.bytesOut += chunk.length;
  context.bytesOut.inc(chunk.length);
  if (!context.res.write(chunk)) {
    this.pause();
    context.res.once('drain', () => this.resume());
  }
}
function toolEnd(this: IncomingMessage & { [PROXIED]?: Proxied }): void {
  this[PROXIED]!.res.end();
}
/** A response finished or cut: its session no longer holds it. */
function responseClosed(this: ServerResponse): void {
  (this.req as ProxiedRequest)[PROXIED]?.held.responses.delete(this);
}

/**
 * Header names lower-cased, by the tool's spelling: a tool sends the same few on every answer (Node's own
 * capitalised: Date, Connection, Keep-Alive, Content-Length), and toLowerCase made a new string of each every
 * time. Bounded, in entries and in a name's length, against a tool that sends a new name each time.
 */
const LOWER_CASED = new Map<string, string>();
function lowerCased(name: string): string {
  let lower = LOWER_CASED.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER_CASED.size < 1000 && name.length <= 64) LOWER_CASED.set(name, lower);
  }
  return lower;
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
/** Token hashes remembered: every request of a session carries the same cookie, so it is hashed once. */
const TOKEN_HASHES = 10_000;

/**
 * The access gateway: a reverse proxy for HTTP and WebSocket that admits a request only on the API's decision
 * (cached at most 10 s), refuses the tools' download and upload paths, and cuts every connection of a session
 * the moment a revocation is announced.
 */
export class Gateway {
  readonly sessions = new SessionRegistry();
  readonly metrics: GatewayMetrics;
  private readonly logger = new Logger('Gateway');
  private readonly api: GatewayApiClient;
  private readonly cache: DecisionCache;
  private readonly proxy: ProxyServer;
  private readonly upstreamAgent: Agent;
  private readonly server: Server;
  private readonly listener: RevocationListener;
  private readonly cut = new Set<string>();
  private readonly secureCookie: boolean;
  private readonly tokenHashes = new Map<string, string>();
  /**
   * Cookie headers parsed, by the header as sent (see splitCookie): a browser sends the same one on every
   * request of a session. Bounded as tokenHashes is.
   */
  private readonly cookies = new Map<string, SplitCookie>();
  /** The byte counters' children, bound once: labelling a counter on every chunk hashed its labels each time. */
  private readonly bytesIn: { inc(value: number): void };
  private readonly bytesOut: { inc(value: number): void };
  /** Each decision's route, resolved once (a cluster route is a URL to parse). */
  private readonly targets = new WeakMap<SessionRoute, Target>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: GatewayOptions) {
    this.api = new GatewayApiClient(options.apiUrl, options.apiSecret);
    // Sessions in use are re-checked in one call per tick, not one each; one the API now refuses is cut.
    this.cache = new DecisionCache(
      options.decisionCacheMs,
      (sessionIds) =>
        this.api.recheck(sessionIds).catch((error: Error) => {
          this.logger.warn(`refreshing decisions failed: ${error.message}`);
          throw error;
        }),
      (sessionId, reason) => this.cutSession(sessionId, reason),
    );
    this.metrics = gatewayMetrics(this.sessions, options.defaultMetrics ?? false);
    this.secureCookie = cookieIsSecure(options.publicUrl);
    this.bytesIn = this.metrics.bytes.labels({ direction: 'in' });
    this.bytesOut = this.metrics.bytes.labels({ direction: 'out' });
    // Without an agent http-proxy-3 opens (and tears down) a TCP connection to the tool for every request, which
    // cost most of the gateway's time per request; kept-alive connections are reused. An upgraded WebSocket
    // leaves the agent's pool, so it never holds a slot.
    //
    // FIFO hands out the connection idle longest, so every pooled connection stays in use: with the default
    // (LIFO) a steady load ran on a handful, the rest idled past the tool's keep-alive timeout (Node's 5 s, which
    // the agent honours) and closed, and the next burst (the queue behind any stall) opened them again, a
    // handshake each on both sides just when the queue is longest. The bench counted 255 connections opened in
    // a 6 s window.
    //
    // The pool's limits are set as the agent's properties, not given to its constructor: the constructor keeps
    // its options and copies them into every request's options (Agent.addRequest spreads them into an object
    // without a prototype, a hash table that doubles as it fills). http-proxy-3's request options already hold
    // 17 properties; with the agent's six (and the server name Node adds) the table grew to 64 slots, 5 KB a
    // request; with four it stays at 32, 3.3 KB.
    this.upstreamAgent = new Agent({ keepAlive: true, scheduling: 'fifo' });
    this.upstreamAgent.maxSockets = UPSTREAM_SOCKETS;
    this.upstreamAgent.maxFreeSockets = UPSTREAM_SOCKETS;
    this.proxy = createProxyServer({
      ws: true,
      // X-Forwarded-* are added by the gateway to HTTP requests (addForwardedHeaders, as http-proxy-3 would) and
      // by http-proxy-3 to WebSocket upgrades (Target.socket).
      xfwd: false,
      selfHandleResponse: true,
      proxyTimeout: 120_000,
      agent: this.upstreamAgent,
      // The path goes to the tool as the gateway judged it (the request's, or the tool's own for a tool served
      // at its root), not rebuilt through the URL parser: that parsed two URLs a request (the target's path and
      // the request's), and a parser rewrites what it reads (isCanonicalPath). Targets are origins (no path).
      toProxy: true,
      prependPath: false,
      // Set per request (Target): http-proxy-3 copies these options and then a request's own over them, and a
      // copy that already has every property the request sets is written in place (143 bytes a request), where
      // one that must grow to take them cost 1 KB.
      target: undefined,
      buffer: undefined,
    });
    this.proxy.on('proxyRes', (proxyRes, req, res) => this.respond(proxyRes, req, res));
    this.server = createServer((req, res) => {
      try {
        this.handle(req, res);
      } catch (error: unknown) {
        this.failed(res, error);
      }
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      void this.upgrade(req, socket, head).catch(() => socket.destroy());
    });
    this.listener = new RevocationListener(options.redis, options.eventsChannel, (r) => this.revoke(r));
  }

  async start(): Promise<number> {
    await this.listener.start();
    await new Promise<void>((resolve) => this.server.listen(this.options.port, this.options.host, resolve));
    this.timers = [
      setInterval(() => void this.report(), this.options.reportMs),
      setInterval(() => void this.sweep(), this.options.sweepMs),
      setInterval(() => void this.cache.refreshDue(), this.cache.tickMs),
    ];
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.report();
    for (const held of this.sessions.all()) this.sessions.drop(held.sessionId);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.proxy.close();
    this.upstreamAgent.destroy();
    this.api.close();
    await this.listener.stop();
  }

  // --- HTTP ------------------------------------------------------------------------------------------------

  /**
   * One HTTP request. Synchronous as long as the session's decision is known (nearly every request): a promise
   * and a turn of the microtask queue per request only when the API must be asked or a body read.
   */
  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    if (url === '/health' || url === '/ready') return this.plain(res, 200, 'ok');
    if (url === '/metrics') return void this.metricsAnswer(res).catch((e) => this.failed(res, e));
    const query = url.indexOf('?');
    const match = WORKSPACE_PATH.exec(query === -1 ? url : url.slice(0, query));
    if (!match) return this.plain(res, 404, 'Not found: workspaces are under /w/<workspace id>/');
    const workspaceId = match[1].toLowerCase();
    if (!match[2]) {
      res.writeHead(308, { location: `/w/${workspaceId}/` }).end();
      return;
    }
    // After `/w/<workspace id>/`.
    const relative = url.slice(workspaceId.length + 4);
    if (!isCanonicalPath(url)) return this.denied(res, 400, 'bad_path');
    if (relative.startsWith('_tre/redeem'))
      return void this.redeem(req, res, workspaceId, relative).catch((e) => this.failed(res, e));
    if (relative.startsWith('_tre/logout'))
      return void this.logout(req, res, workspaceId).catch((e) => this.failed(res, e));

    const admitted = this.admit(req, workspaceId, url);
    if (admitted instanceof Promise)
      return void admitted
        .then((answer) => this.admitted(req, res, answer, workspaceId, url, relative))
        .catch((e) => this.failed(res, e));
    this.admitted(req, res, admitted, workspaceId, url, relative);
  }

  private admitted(
    req: IncomingMessage,
    res: ServerResponse,
    admitted: Admitted | Refused,
    workspaceId: string,
    url: string,
    relative: string,
  ): void {
    if ('status' in admitted) return this.plain(res, admitted.status, `Refused: ${admitted.reason}`);
    const { held, profile } = admitted;
    const method = req.method ?? 'GET';
    const refusal = refusalFor(profile, method, relative);
    if (refusal) return this.refuseInSession(res, refusal, held, url);
    if (needsBodyCheck(profile, method, relative))
      return void this.judgeBody(req, res, admitted, workspaceId, url, relative).catch((e) =>
        this.failed(res, e),
      );
    this.forward(req, res, admitted, workspaceId, url, relative);
  }

  /** A write to an API that can upload: its body read whole and judged before anything reaches the tool. */
  private async judgeBody(
    req: IncomingMessage,
    res: ServerResponse,
    admitted: Admitted,
    workspaceId: string,
    url: string,
    relative: string,
  ): Promise<void> {
    const body = await readBody(req, MAX_INSPECTED_BODY);
    if (!body || isUploadBody(body)) return this.refuseInSession(res, 'blocked_upload', admitted.held, url);
    this.forward(req, res, admitted, workspaceId, url, relative, body);
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    { held, session, profile }: Admitted,
    workspaceId: string,
    url: string,
    relative: string,
    body?: Buffer,
  ): void {
    const target = this.targetOf(workspaceId, session.route);
    this.prepare(req, profile, workspaceId, relative);
    addForwardedHeaders(req);
    (req as ProxiedRequest)[PROXIED] = {
      held,
      workspaceId,
      path: url,
      upstream: target.upstream,
      res,
      bytesOut: this.bytesOut,
    };
    held.responses.add(res);
    res.on('close', responseClosed);
    held.lastActivity = Date.now();
    held.activitySinceReport = true;
    let options = target.bodiless;
    if (body) {
      this.countIn(held, body.length);
      options = { ...target.piped, buffer: new KnownBody(body) };
    }
    // A request with neither header has no body (RFC 9112 6.3): nothing to count, no listener to add, and
    // nothing to pipe to the tool (NO_BODY).
    else if (req.headers['content-length'] || req.headers['transfer-encoding']) {
      req.on('data', (chunk: Buffer) => this.countIn(held, chunk.length));
      options = target.piped;
    }
    this.proxy.web(req, res, options, this.webFailed);
  }

  private countIn(held: HeldSession, length: number): void {
    held.bytesIn += length;
    this.bytesIn.inc(length);
  }

  /** The tool could not be reached or failed mid-answer (shared by every request: no closure each). */
  private readonly webFailed: ErrorCallback = (_error, _req, res) => {
    const response = res as ServerResponse;
    if (!response.headersSent) this.plain(response, 502, 'The workspace tool is not answering');
    else response.destroy();
  };

  /** The tool's origin for a session's route, and the proxy's options for it, resolved once per decision. */
  private targetOf(workspaceId: string, route: SessionRoute): Target {
    let target = this.targets.get(route);
    if (!target) {
      const upstream = upstreamOf(workspaceId, route, this.options.localUpstreams);
      target = {
        upstream,
        bodiless: { target: upstream, buffer: NO_BODY },
        piped: { target: upstream },
        socket: { target: upstream, xfwd: true },
      };
      this.targets.set(route, target);
    }
    return target;
  }

  private async metricsAnswer(res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
    res.end(await this.metrics.registry.metrics());
  }

  /** The tool's answer: refused whole if it would make the browser save a file, otherwise passed on, counted. */
  private respond(proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
    const context = (req as ProxiedRequest)[PROXIED];
    if (!context) return void proxyRes.destroy();
    // The tool's headers as it sent them (rawHeaders: names and values in turn), not proxyRes.headers: that is
    // built on first use, an object of lower-cased names per response, and was then copied into another.
    // Sized once for all of them (pushing grew it from empty), cut to what is kept.
    const raw = proxyRes.rawHeaders;
    const headers = new Array<string>(raw.length);
    let kept = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = lowerCased(raw[i]);
      if (HOP_BY_HOP.has(name)) continue;
      let value = raw[i + 1];
      // Any Content-Disposition header saying attachment refuses the whole answer (the headers object kept
      // only the first of several).
      if (name === 'content-disposition' && isAttachment(value)) {
        proxyRes.destroy();
        return this.refuseInSession(res, 'blocked_download', context.held, context.path);
      }
      // A redirect to the tool's own origin is turned into a path on the gateway.
      if (name === 'location' && value.startsWith(context.upstream.origin))
        value = value.slice(context.upstream.origin.length) || '/';
      headers[kept++] = raw[i];
      headers[kept++] = value;
    }
    headers.length = kept;
    res.writeHead(proxyRes.statusCode ?? 502, headers);
    // pipe() without its machinery (six listeners each side, per request): each chunk counted and written,
    // the tool's answer paused while the person's connection is full; the listeners are shared, the context
    // rides on the answer.
    (proxyRes as ProxiedRequest)[PROXIED] = context;
    proxyRes.on('data', toolData);
    proxyRes.on('end', toolEnd);
  }

  private async redeem(req: IncomingMessage, res: ServerResponse, workspaceId: string, relative: string) {
    const ticket = new URLSearchParams(relative.split('?')[1] ?? '').get('ticket') ?? '';
    if (req.method !== 'GET' || !ticket) return this.denied(res, 400, 'ticket_unknown');
    const decision = await this.api.redeem(ticket, workspaceId);
    if (!decision.allow || !decision.token)
      return this.denied(res, 403, decision.allow ? 'ticket_unknown' : decision.reason);
    const { session } = decision;
    const tokenHash = sha256(decision.token);
    this.sessions.hold({ ...session, tokenHash });
    // Redeeming was a decision on live state just now: the first request need not ask again.
    void this.cache.get(tokenHash, () => Promise.resolve({ allow: true, session }));
    res.writeHead(303, {
      location: `/w/${workspaceId}/`,
      'set-cookie': sessionCookie(decision.token, `/w/${workspaceId}/`, this.secureCookie),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
  }

  private async logout(req: IncomingMessage, res: ServerResponse, workspaceId: string) {
    const admitted = await this.admit(req, workspaceId, req.url ?? '');
    if (!('status' in admitted)) {
      await this.api.closeSession(admitted.session.sessionId, 'closed');
      this.cutSession(admitted.session.sessionId, 'closed');
    }
    res.writeHead(200, {
      'set-cookie': clearedCookie(`/w/${workspaceId}/`, this.secureCookie),
      'content-type': 'text/plain; charset=utf-8',
    });
    res.end('Session ended');
  }

  // --- WebSocket -------------------------------------------------------------------------------------------

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const match = WORKSPACE_PATH.exec(url.split('?')[0]);
    const refuse = (status: number, reason: string) =>
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    if (!match?.[2]) return void refuse(404, 'Not Found');
    const workspaceId = match[1].toLowerCase();
    if (!isCanonicalPath(url)) return void refuse(400, 'Bad Request');
    const relative = url.slice(workspaceId.length + 4);
    const admitted = await this.admit(req, workspaceId, url);
    if ('status' in admitted) return void refuse(admitted.status, admitted.reason);
    const { held, session, profile } = admitted;
    const refusal = refusalFor(profile, 'GET', relative);
    if (refusal) {
      this.report403(refusal, held, url);
      return void refuse(403, refusal);
    }
    held.sockets.add(socket);
    socket.on('close', () => held.sockets.delete(socket));
    this.prepare(req, profile, workspaceId, relative);
    this.proxy.ws(req, socket, head, this.targetOf(workspaceId, session.route).socket, () =>
      socket.destroy(),
    );
  }

  // --- the decision ----------------------------------------------------------------------------------------

  /** The session's decision for this request: at once when it is known (see DecisionCache.settled). */
  private admit(
    req: IncomingMessage,
    workspaceId: string,
    path: string,
  ): Admitted | Refused | Promise<Admitted | Refused> {
    const { token } = this.cookieOf(req);
    if (!token) return this.count({ status: 401, reason: 'no_session' });
    const tokenHash = this.hashOf(token);
    const known = this.cache.settled(tokenHash);
    if (known) return this.judge(known, tokenHash, workspaceId);
    return this.cache
      .get(tokenHash, () => this.api.authorise(token, workspaceId, path))
      .then(
        (decision) => this.judge(decision, tokenHash, workspaceId),
        (error: unknown) => {
          // Fail closed: no decision, no access.
          this.logger.warn(`no decision from the API: ${(error as Error).message}`);
          return this.count({ status: 503, reason: 'decision_unavailable' });
        },
      );
  }

  private judge(decision: Decision, tokenHash: string, workspaceId: string): Admitted | Refused {
    if (!decision.allow) {
      const held = this.sessions.all().find((candidate) => candidate.tokenHash === tokenHash);
      if (held && decision.reason !== 'wrong_workspace') this.cutSession(held.sessionId, decision.reason);
      return this.count({ status: 403, reason: decision.reason });
    }
    const { session } = decision;
    if (session.workspaceId !== workspaceId) return this.count({ status: 403, reason: 'wrong_workspace' });
    if (this.cut.has(session.sessionId)) return this.count({ status: 403, reason: 'session_ended' });
    const profile = profileOf(session.route.tool);
    if (!profile) return this.count({ status: 403, reason: 'blocked_path' });
    const held = this.sessions.get(session.sessionId) ?? this.sessions.hold({ ...session, tokenHash });
    return { held, session, profile };
  }

  /** The request's Cookie header parsed, remembered when it was seen before. */
  private cookieOf(req: IncomingMessage): SplitCookie {
    const header = req.headers.cookie ?? '';
    let parsed = this.cookies.get(header);
    if (parsed === undefined) {
      if (this.cookies.size >= TOKEN_HASHES) this.cookies.clear();
      parsed = splitCookie(header, SESSION_COOKIE);
      this.cookies.set(header, parsed);
    }
    return parsed;
  }

  private hashOf(token: string): string {
    let hash = this.tokenHashes.get(token);
    if (hash === undefined) {
      if (this.tokenHashes.size >= TOKEN_HASHES) this.tokenHashes.clear();
      hash = sha256(token);
      this.tokenHashes.set(token, hash);
    }
    return hash;
  }

  /** Headers and path as the tool expects them; our cookie never reaches it. */
  private prepare(req: IncomingMessage, profile: ToolProfile, workspaceId: string, relative: string): void {
    const cookie = this.cookieOf(req).forwarded;
    if (cookie) req.headers.cookie = cookie;
    else delete req.headers.cookie;
    if (!profile.keepPrefix) req.url = `/${relative}`;
    if (profile.rootPathHeader) req.headers[profile.rootPathHeader.toLowerCase()] = `/w/${workspaceId}`;
  }

  // --- revocation ------------------------------------------------------------------------------------------

  private revoke(revocation: Revocation): void {
    if (revocation.kind === 'session-ended') return this.cutSession(revocation.sessionId, 'ended');
    // Admission needs an approved project and a ready workspace, so these events end every session they name:
    // cut first, then let the API record each end (its re-check ends the rows, with their reasons).
    const held = this.sessions.matching(revocation);
    for (const session of held) this.cutSession(session.sessionId, 'revoked');
    void this.recheck(held.map((session) => session.sessionId));
  }

  private async sweep(): Promise<void> {
    await this.report();
    await this.recheck(this.sessions.all().map((held) => held.sessionId));
  }

  private async recheck(sessionIds: string[]): Promise<void> {
    try {
      for (const result of await this.api.recheck(sessionIds)) {
        if (!result.allow) this.cutSession(result.sessionId, result.reason ?? 'denied');
      }
    } catch (error: unknown) {
      this.logger.warn(`re-check failed: ${(error as Error).message}`);
    }
  }

  private cutSession(sessionId: string, reason: string): void {
    const held = this.sessions.drop(sessionId);
    this.cut.add(sessionId);
    if (this.cut.size > 100_000) this.cut.clear();
    if (!held) return;
    this.cache.forget(held.tokenHash);
    this.metrics.sessionsEnded.inc({ reason });
  }

  private async report(): Promise<void> {
    try {
      await this.api.activity(this.sessions.takeReports());
    } catch (error: unknown) {
      this.logger.warn(`activity report failed: ${(error as Error).message}`);
    }
  }

  // --- answers ---------------------------------------------------------------------------------------------

  private refuseInSession(res: ServerResponse, reason: string, held: HeldSession, path: string): void {
    this.report403(reason, held, path);
    this.plain(res, 403, `Refused: ${reason}`);
  }

  private report403(reason: string, held: HeldSession, path: string): void {
    this.count({ status: 403, reason });
    void this.api
      .refusal({ reason, workspaceId: held.workspaceId, sessionId: held.sessionId, path })
      .catch((error: Error) => this.logger.warn(`could not report a refusal: ${error.message}`));
  }

  private denied(res: ServerResponse, status: number, reason: string): void {
    this.count({ status, reason });
    this.plain(res, status, `Refused: ${reason}`);
  }

  private count(refused: Refused): Refused {
    this.metrics.denials.inc({ reason: refused.reason });
    return refused;
  }

  private plain(res: ServerResponse, status: number, text: string): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  }

  private failed(res: ServerResponse, error: unknown): void {
    this.logger.warn(`request failed: ${(error as Error).message}`);
    this.plain(res, 503, 'The gateway could not decide on this request');
  }
}

/** The whole body, or undefined when it exceeds `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
