import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Whether the API is draining before it stops: readiness then answers 503, so a load balancer (or Kubernetes,
 * through the Service's endpoints) sends new requests elsewhere, and every answer carries `Connection: close`,
 * so a client holding a keep-alive connection (a proxy pools them) opens its next one to a replica that stays.
 * Requests keep being served meanwhile: one that arrives before the balancer has noticed is answered, not lost.
 */
@Injectable()
export class Drain {
  private since?: number;

  get draining(): boolean {
    return this.since !== undefined;
  }

  start(): void {
    this.since ??= Date.now();
  }

  /** A step of every request (onEveryRequest): asks the client to close its connection after each answer while draining. */
  readonly closeConnections = (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (this.since !== undefined) res.setHeader('Connection', 'close');
    next();
  };
}
