import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeOfStatus, requestIdOf, type AppConfig } from '@tre/core';
import { answerUnparseableRequest } from './client-errors';
import { assignRequestId } from './edge-guards';
import { decodedBody } from './request-encoding';

/**
 * The API's HTTP server: Nest on Fastify. Measured against Nest on Express with the same routes, it
 * took a third less CPU a request (README, The API under load, tenth pass): most of a cached read's cost was the
 * framework's. A trailing slash matches the same route, as it did under Express; paths are case-sensitive.
 */
export function httpAdapter(config: Pick<AppConfig, 'apiBodyLimitBytes'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.apiBodyLimitBytes,
    clientErrorHandler: answerUnparseableRequest,
    // Node's own defaults, which Fastify changes: an idle kept-alive socket is closed after 5 s (Fastify: 72 s),
    // and a request must have arrived whole within 5 minutes (Fastify: never), so a client that trickles its
    // request in (slowloris) cannot hold a socket for ever.
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PART },
    frameworkErrors: answerUnroutablePath,
  });
}

/** The longest part of a path a route's parameter takes (ids are 36 characters; a file's name up to 255). */
const MAX_PATH_PART = 1_000;

const UNROUTABLE: Record<string, string> = {
  FST_ERR_BAD_URL: 'The path is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: `A part of the path is longer than ${MAX_PATH_PART} characters`,
};

/**
 * A path the router cannot even take apart (bad percent-encoding, a part past MAX_PATH_PART) is refused before
 * any hook runs: answered here in the API's error shape, with a request id and `no-store` like every answer.
 */
function answerUnroutablePath(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  assignRequestId(request.raw, reply.raw, () => undefined);
  const requestId = requestIdOf(request.raw, reply.raw);
  const statusCode = error.statusCode ?? 400;
  void reply.status(statusCode).send({
    statusCode,
    code: codeOfStatus(statusCode),
    message: UNROUTABLE[error.code] ?? error.message,
    requestId,
  });
}

/** A function of the raw request and response that calls `next` when done (the edge's own steps). */
export type RawStep = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Runs each step, in order, as every request arrives (before routing, body parsing and any answer). */
export function onEveryRequest(server: FastifyInstance, ...steps: RawStep[]): void {
  for (const step of steps)
    server.addHook('onRequest', (request, reply, done) => step(request.raw, reply.raw, done));
}

/**
 * Request bodies, to the body limit: JSON (an empty body is `{}`, as a client that sends the header with no body
 * means nothing more) and forms (flat: `a[b]=c` is the key `a[b]`); a compressed body is inflated first. Any
 * other media type is left unread for the route that takes it (the opt-out list's CSV, the collector's files),
 * which reads it as a stream with limits of its own; elsewhere it is ignored and the route's validation says
 * what is missing. Nest's own parsers are off (`bodyParser: false`): they refuse an empty JSON body.
 */
export function acceptBodies(server: FastifyInstance): void {
  server.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      done(null, decodedBody(request.headers, payload));
    } catch (error: unknown) {
      done(error as Error);
    }
  });
  const json = server.getDefaultJsonParser('error', 'error');
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const refused = unsupportedCharset(request.headers['content-type']);
    if (refused) done(refused, undefined);
    else if ((body as string).trim() === '') done(null, {});
    else void json(request, body as string, done);
  });
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      const refused = unsupportedCharset(request.headers['content-type']);
      if (refused) done(refused, undefined);
      else done(null, { ...parseQuery(body as string) });
    },
  );
  server.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

/** Bodies are read as UTF-8: one that says it is in another character set is refused (415), not misread. */
function unsupportedCharset(contentType: string | undefined): Error | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1].toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return undefined;
  return new UnsupportedMediaTypeException(`Unsupported charset "${charset.toUpperCase()}"`);
}
