import { StringDecoder } from 'node:string_decoder';
import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyTextRows } from './copy-text';

/**
 * Streams a query's rows through `COPY (...) TO STDOUT`, in batches of text values: the fastest way out of
 * Postgres, and memory holds one batch and one network chunk however large the source. Reading pauses
 * while the consumer works on a batch (the stream's backpressure).
 */
export async function* copyRows(
  client: Client,
  sql: string,
  batchSize = 20_000,
): AsyncGenerator<(string | null)[][]> {
  const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT`));
  const decoder = new StringDecoder('utf8');
  const parser = new CopyTextRows();
  let batch: (string | null)[][] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.push(decoder.write(chunk), batch);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  parser.push(decoder.end(), batch);
  parser.finish();
  if (batch.length) yield batch;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quotes a catalogue-checked identifier; refuses anything else rather than trusting it into SQL. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
