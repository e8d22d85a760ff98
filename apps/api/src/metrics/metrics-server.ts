import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ApiMetrics } from './metrics.service';

/**
 * Prometheus /metrics on a listener of its own (API_METRICS_PORT), never on the public port: the metrics
 * name routes, queue depths and error rates, which are nobody's business outside the cluster. In k8s/ no
 * Service or Ingress exposes this port, and the NetworkPolicy admits only the monitoring namespace to it.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(private readonly metrics: ApiMetrics) {}

  /** Started by main.ts (tests pass port 0 for a free one); resolves with the address it listens on. */
  async listen(port: number, host?: string): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.respond(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject).listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.logger.log(`API metrics on port ${address.port}`);
    return address;
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-request-id', randomUUID());
    res.setHeader('Cache-Control', 'no-store');
    const json = (status: number, message: string): void => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ statusCode: status, message }));
    };
    if (req.url !== '/metrics') return json(404, `No route for ${req.method} ${req.url}; only GET /metrics`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, 'Only GET /metrics');
    try {
      const body = await this.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body);
    } catch (error: unknown) {
      json(503, `Metrics are not available: ${String(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
