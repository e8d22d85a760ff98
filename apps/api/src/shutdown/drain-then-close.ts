import { Logger, type INestApplication } from '@nestjs/common';
import { Drain } from './drain';

/**
 * A graceful stop: drain for `drainMs` (readiness fails, keep-alive connections are closed after their next
 * answer, requests are still served), then close: the server stops taking connections, answers what is under
 * way, and the modules shut down (queues, database, Redis). Exits 0 once closed, 1 if closing failed.
 */
export async function drainThenClose(app: INestApplication, drainMs: number): Promise<void> {
  const logger = new Logger('Shutdown');
  app.get(Drain).start();
  logger.log(`draining for ${drainMs} ms before stopping`);
  await new Promise((resolve) => setTimeout(resolve, drainMs));
  try {
    await app.close();
    process.exit(0);
  } catch (error: unknown) {
    logger.error({ err: error }, 'closing failed');
    process.exit(1);
  }
}
