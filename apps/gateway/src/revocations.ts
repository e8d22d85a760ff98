import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { AnnouncedEvent } from '@tre/core';

/** Events after which no session of the project (or workspace) may be admitted: their holders cut them at once. */
const RECHECK_PROJECT = new Set([
  'project.suspended',
  'project.revoked',
  'project.expired',
  'project.closed',
]);
const RECHECK_WORKSPACE = new Set(['workspace.suspended', 'workspace.deprovisioning', 'workspace.deleted']);

export type Revocation =
  { kind: 'session-ended'; sessionId: string } | { kind: 'cut'; projectId?: string; workspaceId?: string };

/** What an announced event means to the gateway, or undefined when nothing. */
export function revocationOf(event: AnnouncedEvent): Revocation | undefined {
  const payload = event.payload;
  if (event.type === 'session.ended') return { kind: 'session-ended', sessionId: String(payload.sessionId) };
  if (RECHECK_PROJECT.has(event.type)) return { kind: 'cut', projectId: String(payload.projectId) };
  if (RECHECK_WORKSPACE.has(event.type)) return { kind: 'cut', workspaceId: String(payload.workspaceId) };
  return undefined;
}

/** Subscribes to the announced domain events on Redis and hands each revocation to `onRevocation`. */
export class RevocationListener {
  private readonly logger = new Logger('GatewayRevocations');
  private redis?: Redis;

  constructor(
    private readonly options: RedisOptions,
    private readonly channel: string,
    private readonly onRevocation: (revocation: Revocation) => void,
  ) {}

  async start(): Promise<void> {
    this.redis = new Redis({ ...this.options, maxRetriesPerRequest: null });
    this.redis.on('message', (_channel: string, message: string) => {
      try {
        const revocation = revocationOf(JSON.parse(message) as AnnouncedEvent);
        if (revocation) this.onRevocation(revocation);
      } catch (error: unknown) {
        this.logger.warn(`ignored a malformed event: ${(error as Error).message}`);
      }
    });
    // A reconnect re-subscribes (ioredis does that itself); what is missed meanwhile the sweep catches.
    this.redis.on('error', (error: Error) => this.logger.warn(`Redis: ${error.message}`));
    await this.redis.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
