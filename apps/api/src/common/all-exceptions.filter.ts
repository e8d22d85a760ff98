import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  codeOfStatus,
  databaseOutage,
  DomainError,
  HTTP_STATUS_OF,
  redisOutage,
  requestIdOf,
} from '@tre/core';
import type { ErrorBody } from './error-body';

/**
 * The one place where failures become HTTP responses: domain errors by their code, framework errors by
 * their status, and anything unexpected as a 500 that tells the client only the request id to quote.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // The id assignRequestId gave the request as it arrived (and sent as x-request-id).
    const requestId = requestIdOf(request.raw, reply.raw);
    const body = { ...this.toBody(error, request), requestId };
    if (body.statusCode === 503) {
      // Say when to come back; a dependency away is logged once per request, without a stack.
      reply.header('Retry-After', '5');
      this.logger.warn({ requestId, reason: body.message }, 'Service unavailable');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: error, requestId }, 'Unhandled error');
    }
    if (!reply.sent && !reply.raw.headersSent) void reply.status(body.statusCode).send(body);
  }

  private toBody(error: unknown, request: FastifyRequest): ErrorBody {
    if (error instanceof DomainError) {
      return {
        statusCode: HTTP_STATUS_OF[error.code],
        code: error.code,
        message: error.message,
        details: error.details,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const payload = error.getResponse();
      const fromPayload =
        typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
      if (status === 404 && !fromPayload.code) {
        return {
          statusCode: 404,
          code: 'not_found',
          message: `No route for ${request.method} ${request.url.split('?', 1)[0]}`,
        };
      }
      return {
        statusCode: status,
        code: (fromPayload.code as ErrorBody['code'] | undefined) ?? codeOfStatus(status),
        message: typeof fromPayload.message === 'string' ? fromPayload.message : error.message,
        details: fromPayload.details as Record<string, unknown> | undefined,
      };
    }
    const outage = databaseOutage(error);
    if (outage) {
      return {
        statusCode: 503,
        code: 'unavailable',
        message: `The database is unavailable (${outage}); try again shortly`,
      };
    }
    const queueOutage = redisOutage(error);
    if (queueOutage) {
      return {
        statusCode: 503,
        code: 'unavailable',
        message: `The job queue (Redis) is unavailable (${queueOutage}); try again shortly`,
      };
    }
    if (isClientHttpError(error)) {
      return {
        statusCode: error.statusCode,
        code: codeOfStatus(error.statusCode),
        message: `Request body is not valid: ${bodyErrorMessage(error)}`,
      };
    }
    return {
      statusCode: 500,
      code: 'internal',
      message: 'Something went wrong on our side; quote the request id',
    };
  }
}

/**
 * The body parsers report a client's mistake (malformed, oversized, badly encoded or undecompressable body) as
 * an error with a 4xx `statusCode`: Fastify's own (`FST_ERR_CTP_...`), the JSON parser's SyntaxError, or zlib's
 * (with its errno). Any other error that carries a status is not taken on trust.
 */
function isClientHttpError(
  error: unknown,
): error is { statusCode: number; message: string; code?: string; errno?: number } {
  const candidate = error as { statusCode?: unknown; code?: unknown; errno?: unknown };
  return (
    typeof candidate?.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500 &&
    ((typeof candidate.code === 'string' && candidate.code.startsWith('FST_')) ||
      error instanceof SyntaxError ||
      typeof candidate.errno === 'number')
  );
}

/** A decompression failure carries only zlib's errno and a bare "Bad Request": say what it means. */
function bodyErrorMessage(error: { message: string; code?: string; errno?: number }): string {
  return typeof error.errno === 'number'
    ? `it could not be decompressed as its Content-Encoding says (${error.code ?? error.errno})`
    : error.message;
}
