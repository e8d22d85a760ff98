import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** Opt-out files: a national list of millions of numbers is about 12 bytes a line. */
export const OPT_OUT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

/**
 * Reads a CSV request body as text, for the one route that takes files. Read in the handler, after the guard,
 * so nobody without the role can make the service buffer 50 MB; the global JSON parser (100 kB) never sees
 * text/csv and leaves the stream alone.
 */
export async function readCsvBody(
  request: IncomingMessage,
  limit = OPT_OUT_BODY_LIMIT_BYTES,
): Promise<string> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'text/csv' && type !== 'text/plain') {
    throw new UnsupportedMediaTypeException(
      'Send the opt-out list as text/csv with a header line nhs_number',
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeException(`An opt-out file may be at most ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeException(`An opt-out file may be at most ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
