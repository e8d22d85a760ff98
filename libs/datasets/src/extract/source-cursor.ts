import type { Client } from 'pg';

/**
 * Streams a query's rows in batches through a server-side cursor, so memory holds one batch however large
 * the source. Runs inside a transaction of its own on the given client (cursors live in transactions).
 */
export async function* streamRows<T>(
  client: Client,
  sql: string,
  params: unknown[],
  batchSize = 10_000,
): AsyncGenerator<T[]> {
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`DECLARE extract_cursor NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const { rows } = await client.query<T & Record<string, unknown>>(
        `FETCH ${batchSize} FROM extract_cursor`,
      );
      if (rows.length === 0) break;
      yield rows;
    }
    await client.query('CLOSE extract_cursor');
  } finally {
    await client.query('COMMIT');
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quotes a catalogue-checked identifier; refuses anything else rather than trusting it into SQL. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
