import type { FastifyInstance } from 'fastify';
import type { ApiMetrics } from './metrics.service';

/**
 * Times every request, from its arrival to its answer sent; the route label is the pattern (`/audit/:id`),
 * never the raw URL, and `unmatched` where no route took it.
 */
export function timeRequests(server: FastifyInstance, metrics: ApiMetrics): void {
  server.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
