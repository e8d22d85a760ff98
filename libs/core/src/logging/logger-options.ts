import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/settings';

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

/**
 * JSON logs with the request id on every line. Credentials and bodies are never logged: request bodies may
 * hold research data, and authorisation headers are bearer tokens.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: requestIdOf,
      customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: unknown }).id }),
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        remove: true,
      },
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => ['/health', '/ready', '/metrics'].includes(req.url ?? '') },
    },
  };
}
