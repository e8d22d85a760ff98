import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { UnsupportedMediaTypeException } from '@nestjs/common';

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * A request body sent compressed (gzip, deflate, br), inflated before the body parser reads it. The parser
 * counts the inflated bytes against the body limit (a small body that inflates past it is a 413, not 3 GB in
 * memory); a corrupt one fails with zlib's error, which the parser makes a 400. Any other encoding is a 415
 * naming it. The parser also compares what arrived with Content-Length: the bytes that came over the wire are
 * counted for it as `receivedEncodedLength`, as Fastify asks of a body transformed on its way in (preParsing).
 */
export function decodedBody(headers: IncomingHttpHeaders, body: Readable): Readable {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return body;
  const decoder = DECODERS[encoding];
  if (!decoder) throw new UnsupportedMediaTypeException(`Unsupported content encoding "${encoding}"`);
  let received = 0;
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  // pipeline, not pipe: a body that fails (the client went away) fails the inflater the parser reads.
  // Its failure is the parser's to report; a body no parser reads (a media type nobody takes) fails unheard.
  const inflated = pipeline(body, decoder(), () => undefined).on('error', () => undefined);
  Object.defineProperty(inflated, 'receivedEncodedLength', { get: () => received });
  return inflated;
}
