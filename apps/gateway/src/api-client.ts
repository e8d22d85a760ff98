import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { SessionRoute } from './upstreams';

export type DenialReason = string;

export interface GrantedSession {
  sessionId: string;
  workspaceId: string;
  projectId: string;
  userId: string;
  route: SessionRoute;
}

export type Decision = { allow: true; session: GrantedSession } | { allow: false; reason: DenialReason };

export interface ActivityReport {
  sessionId: string;
  bytesIn: number;
  bytesOut: number;
  lastActivityAt: string;
}

/**
 * Calls in flight to the API at once. More wait in the gateway, in order, rather than pile onto an API that is
 * already slow (every decision that runs out while it is slow asks again, which would make it slower still).
 */
export const API_SOCKETS = 16;

/** The API's /gateway routes, called with the shared secret. Every decision is the API's. */
export class GatewayApiClient {
  /**
   * Kept-alive connections, at most API_SOCKETS. Global fetch opened a connection per concurrent call with no
   * bound, and cost several times the CPU of a plain request per call (its streams and abort signal), on the
   * event loop that serves the proxied traffic.
   */
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5_000,
  ) {
    const https = new URL(baseUrl).protocol === 'https:';
    const options = { keepAlive: true, maxSockets: API_SOCKETS, maxFreeSockets: API_SOCKETS };
    this.agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    this.send = https ? httpsRequest : httpRequest;
  }

  /** Closes the kept-alive connections (the gateway is stopping). */
  close(): void {
    this.agent.destroy();
  }

  redeem(ticket: string, workspaceId: string): Promise<Decision & { token?: string }> {
    return this.post('redeem', { ticket, workspaceId });
  }

  authorise(token: string, workspaceId: string, path: string): Promise<Decision> {
    return this.post('authorise', { token, workspaceId, path: path.slice(0, 2000) });
  }

  async recheck(sessionIds: string[]): Promise<{ sessionId: string; allow: boolean; reason?: string }[]> {
    if (sessionIds.length === 0) return [];
    const body = await this.post<{ results: { sessionId: string; allow: boolean; reason?: string }[] }>(
      'recheck',
      { sessionIds },
    );
    return body.results;
  }

  async activity(reports: ActivityReport[]): Promise<void> {
    if (reports.length) await this.post('activity', { reports });
  }

  async closeSession(sessionId: string, reason: 'closed' | 'idle'): Promise<void> {
    await this.post(`sessions/${sessionId}/close`, { reason });
  }

  async refusal(refusal: { reason: string; workspaceId: string; sessionId?: string; path: string }) {
    await this.post('refusals', { ...refusal, path: refusal.path.slice(0, 2000) });
  }

  /** One POST; rejects on a non-2xx answer or when no whole answer came within timeoutMs (waiting for a socket included). */
  private post<T>(route: string, body: unknown): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise<T>((resolve, reject) => {
      const req = this.send(
        new URL(`/gateway/${route}`, this.baseUrl),
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.secret}`,
            'content-type': 'application/json',
            'content-length': payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300)
              return reject(new Error(`the API answered ${status} on /gateway/${route}`));
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve((status === 204 || !text ? undefined : JSON.parse(text)) as T);
            } catch {
              reject(new Error(`the API's answer on /gateway/${route} was not JSON`));
            }
          });
        },
      );
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      const timer = setTimeout(
        () =>
          req.destroy(new Error(`no answer from the API within ${this.timeoutMs} ms on /gateway/${route}`)),
        this.timeoutMs,
      );
      req.on('error', fail);
      req.end(payload);
    });
  }
}
