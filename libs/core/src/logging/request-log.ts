import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestIdOf } from './logger-options';

/** Probes and scrapes, asked every few seconds: logging them would drown the requests people make. */
const UNLOGGED = new Set(['/health', '/ready', '/metrics']);

/**
 * One log line per request as it ends: its id, method, URL (never headers or body), status and time taken.
 * `request completed`, `request errored` (5xx, at level error) or `request aborted` (the client left first).
 * It replaces pino-http, which cost several times as much a request: three child loggers, the standard
 * serialisers building a copy of the whole request, and three listeners. Lines written during the request get
 * its id from the request context (nestjs-pino binds nothing per request: see loggerOptions).
 */
export function requestLog(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '';
    if (UNLOGGED.has(url)) return next();
    const started = Date.now();
    const id = requestIdOf(req, res);
    res.once('close', () => {
      const line = {
        requestId: id,
        req: { id, method: req.method, url },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (!res.writableFinished) logger.info(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
    next();
  };
}
