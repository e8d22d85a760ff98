import { createHash } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { countUpToSql, LIST_TOTAL_LIMIT } from './capped-total';
import { positionalSql } from './positional-sql';

/**
 * Distinct statements kept prepared, per process (and so at most this many per pooled connection). The reads
 * that use this helper have a fixed text per shape (role, scope, filters), a few dozen in all; the bound only
 * stops a mistake (a value written into the text) from filling every connection's memory. Past it a statement
 * still runs, unprepared.
 */
export const MAX_PREPARED_STATEMENTS = 200;

const names = new Map<string, string>();

/** The statement's name on every connection: derived from its text, so one text is never two statements. */
function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_PREPARED_STATEMENTS) return known;
  const name = `tre_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  names.set(text, name);
  return name;
}

/** How many statements this process has named so far (tests). */
export const preparedStatementCount = (): number => names.size;

/**
 * Runs a read on the service's pool as a named prepared statement, and returns its rows as pg parses them (no
 * entity hydration). The hot reads (listings, details the web app polls) send the same few texts thousands of
 * times a second: unnamed, Postgres parses, analyses and plans each one every time, which for the listings'
 * visibility sub-queries costs more than running them. Named, each pooled connection parses a text once and
 * Postgres keeps its plan (a generic one once it costs no more than planning afresh: plan_cache_mode `auto`).
 *
 * `sql` uses named parameters (`:name`), as the shared visibility conditions are written. Only reads: a
 * statement that writes belongs in a transaction through TypeORM. Timeouts and the pool's stuck-connection
 * check apply as to every other query (same pool). A database that is away fails as TypeORM's queries do
 * ("Driver not Connected": 503).
 */
export async function preparedRows<Row>(
  dataSource: DataSource,
  sql: string,
  params: Readonly<Record<string, unknown>> = {},
): Promise<Row[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
  if (!pool) throw new Error('Driver not Connected');
  const { text, values } = positionalSql(sql, params);
  const name = nameOf(text);
  const query: QueryConfig = name ? { name, text, values } : { text, values };
  const result = await pool.query(query);
  return result.rows as Row[];
}

/**
 * The matches of `fromWhere` counted no further than `limit` + 1 (`countUpToSql`), as a prepared read of its
 * own: the total for a page past the end, which has no row to carry it.
 */
export async function preparedCountUpTo(
  dataSource: DataSource,
  column: string,
  fromWhere: string,
  params: Readonly<Record<string, unknown>>,
  limit: number = LIST_TOTAL_LIMIT,
): Promise<number> {
  const [row] = await preparedRows<{ n: number }>(
    dataSource,
    `SELECT ${countUpToSql(column, fromWhere, limit)} AS n`,
    params,
  );
  return row.n;
}
