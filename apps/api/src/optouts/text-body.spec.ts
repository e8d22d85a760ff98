import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { readCsvBody } from './text-body';

const requestOf = (body: string, headers: Record<string, string>): IncomingMessage =>
  Object.assign(Readable.from([Buffer.from(body)]), { headers }) as unknown as IncomingMessage;

describe('readCsvBody', () => {
  it('reads a text/csv body', async () => {
    await expect(
      readCsvBody(requestOf('nhs_number\n', { 'content-type': 'text/csv; charset=utf-8' })),
    ).resolves.toBe('nhs_number\n');
  });

  it('refuses other content types', async () => {
    await expect(readCsvBody(requestOf('{}', { 'content-type': 'application/json' }))).rejects.toBeInstanceOf(
      UnsupportedMediaTypeException,
    );
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    const csv = { 'content-type': 'text/csv' };
    await expect(readCsvBody(requestOf('x'.repeat(20), csv), 10)).rejects.toBeInstanceOf(
      PayloadTooLargeException,
    );
    await expect(readCsvBody(requestOf('x', { ...csv, 'content-length': '11' }), 10)).rejects.toBeInstanceOf(
      PayloadTooLargeException,
    );
  });
});
