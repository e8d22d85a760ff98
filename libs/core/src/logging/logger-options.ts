import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/settings';
import { requestContext } from '../context/request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's own x-request-id is kept when it is sane, so ids follow a request across services. */
export function requestIdOf(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  // Whichever middleware runs first assigns the id; the others reuse it.
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  req.id = id;
  return id;
}

/** Every line written while a request or job runs carries its id, read from the request context. */
function requestIdMixin(): { requestId?: string } {
  const context = requestContext.current();
  return context ? { requestId: context.requestId } : {};
}

/**
 * Standard output, written synchronously: one write(2) per line on the event loop's thread, as Node itself
 * writes to a pipe. pino's default hands every line to libuv's thread pool instead, and waking a pool thread
 * and being woken back cost the API more CPU than the write (a fifth of the HTTP stack's per-request cost was
 * the request log; see README, The API under load).
 */
export const standardOutput = (): DestinationStream => pino.destination({ dest: 1, sync: true });

/**
 * JSON logs with the request id on every line. Credentials and bodies are never logged: request bodies may
 * hold research data, and authorisation headers are bearer tokens. Requests are logged by `requestLog` (one
 * line as each ends), not by pino-http: nestjs-pino is told the request's logger exists already.
 */
export function loggerOptions(config: AppConfig, destination: DestinationStream = standardOutput()): Params {
  const logger = pino(
    {
      level: config.logLevel,
      mixin: requestIdMixin,
      // Nothing logs whole requests or responses any more; kept so that one that did would not leak them.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        remove: true,
      },
    },
    destination,
  );
  // nestjs-pino's own middleware would only open a request context of its own (a second AsyncLocalStorage, whose
  // store every promise made during the request then copies) to hold this same logger: its Logger falls back to
  // the logger given here, and the request id comes from our request context (the mixin above). So it binds to
  // no route.
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

/** The pino logger that loggerOptions made (for the request log). */
export function loggerOf(params: Params): Logger {
  const { pinoHttp } = params as { pinoHttp?: { logger?: Logger } };
  if (!pinoHttp?.logger) throw new Error('the logger options carry no pino logger');
  return pinoHttp.logger;
}
