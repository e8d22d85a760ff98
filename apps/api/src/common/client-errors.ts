import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's own answers to requests it cannot parse, by its parser's error code; anything else is a 400. */
const STATUS_OF: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Requests so malformed that Node's HTTP parser refuses them (a NUL or newline in a header, a header block over
 * the size limit, a broken request line) never reach a route; Node, or the HTTP framework, would answer a bare
 * 400 or 431 of its own. This answers them in the API's error shape instead, with a request id like every other
 * response. It is the server's `clientErrorHandler` (see httpAdapter).
 */
export function answerUnparseableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = STATUS_OF[error.code ?? ''] ?? 400;
  const requestId = randomUUID();
  const body = JSON.stringify({
    statusCode: status,
    code: 'validation_failed',
    message: `The request is not valid HTTP (${error.code ?? 'unparseable'})`,
    requestId,
  });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `x-request-id: ${requestId}`,
      'Cache-Control: no-store',
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}
