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

/** The API's /gateway routes, called with the shared secret. Every decision is the API's. */
export class GatewayApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 5_000,
  ) {}

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

  async close(sessionId: string, reason: 'closed' | 'idle'): Promise<void> {
    await this.post(`sessions/${sessionId}/close`, { reason });
  }

  async refusal(refusal: { reason: string; workspaceId: string; sessionId?: string; path: string }) {
    await this.post('refusals', { ...refusal, path: refusal.path.slice(0, 2000) });
  }

  private async post<T>(route: string, body: unknown): Promise<T> {
    const response = await fetch(new URL(`/gateway/${route}`, this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`the API answered ${response.status} on /gateway/${route}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}
