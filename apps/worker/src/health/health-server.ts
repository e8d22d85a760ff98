import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, JobQueue, withTimeout, type AppConfig } from '@tre/core';
import { WorkerMetrics } from './worker-metrics';

/**
 * The worker serves no API, only what an orchestrator needs: /health (the process runs), /ready (Postgres
 * and Redis answer) and /metrics for Prometheus, on WORKER_PORT.
 */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthServer.name);
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly metrics: WorkerMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.respond(req.url ?? '/').then(({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type }).end(body);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject).listen(this.config.workerPort, () => resolve());
    });
    this.logger.log(`Worker health and metrics on port ${this.port}`);
  }

  /** The port listened on: WORKER_PORT, or the one the system picked for 0. */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  private async respond(url: string): Promise<{ status: number; type: string; body: string }> {
    const json = (status: number, body: unknown) => ({
      status,
      type: 'application/json',
      body: JSON.stringify(body),
    });
    switch (url) {
      case '/health':
        return json(200, { status: 'ok' });
      case '/ready': {
        const checks = await Promise.allSettled([
          withTimeout(this.dataSource.query('SELECT 1'), 2_000),
          withTimeout(this.jobs.queue('audit').getJobCounts('waiting'), 2_000),
        ]);
        const [postgres, redis] = checks.map((check) =>
          check.status === 'fulfilled' ? { status: 'up' } : { status: 'down', message: String(check.reason) },
        );
        const ok = checks.every((check) => check.status === 'fulfilled');
        return json(ok ? 200 : 503, { status: ok ? 'ok' : 'error', details: { postgres, redis } });
      }
      case '/metrics':
        try {
          return {
            status: 200,
            type: this.metrics.registry.contentType,
            body: await this.metrics.registry.metrics(),
          };
        } catch (error: unknown) {
          return json(503, { status: 'error', message: String(error) });
        }
      default:
        return json(404, { statusCode: 404, code: 'not_found', message: `No route for ${url}` });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
