import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { codeOfStatus, databaseOutage, DomainError, HTTP_STATUS_OF, redisOutage } from '@tre/core';
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
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = { ...this.toBody(error, request), requestId: request.id };
    if (body.statusCode === 503) {
      // Say when to come back; a dependency away is logged once per request, without a stack.
      response.setHeader('Retry-After', '5');
      this.logger.warn({ requestId: request.id, reason: body.message }, 'Service unavailable');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: error, requestId: request.id }, 'Unhandled error');
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(error: unknown, request: Request): ErrorBody {
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
          message: `No route for ${request.method} ${request.path}`,
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
        statusCode: error.status,
        code: codeOfStatus(error.status),
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
 * The body parsers report a client's mistake (malformed, oversized or badly encoded body) as an http-errors
 * error with a 4xx status: `expose` marks it as safe to show, `type` names the parser's reason.
 */
function isClientHttpError(
  error: unknown,
): error is { status: number; message: string; code?: string; errno?: number } {
  const candidate = error as { status?: unknown; type?: unknown; expose?: unknown };
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    (typeof candidate.type === 'string' || candidate.expose === true)
  );
}

/** A decompression failure carries only zlib's errno and a bare "Bad Request": say what it means. */
function bodyErrorMessage(error: { message: string; code?: string; errno?: number }): string {
  return typeof error.errno === 'number'
    ? `it could not be decompressed as its Content-Encoding says (${error.code ?? error.errno})`
    : error.message;
}
