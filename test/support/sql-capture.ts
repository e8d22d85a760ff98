import { Client } from 'pg';
import { requestContext } from '@tre/core';

/**
 * Every statement the app sends to Postgres through `pg` (TypeORM's driver included), with the id of the request
 * it ran for (from the request context), so a test can tell one request's SQL from the app's background work.
 */
export interface SqlCapture {
  statementsOf(requestId: string): string[];
  /** Every statement seen, whatever it ran for. */
  all(): string[];
  stop(): void;
}

export function captureSql(): SqlCapture {
  const seen: { requestId: string | undefined; text: string }[] = [];
  const original = Client.prototype.query;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Client.prototype.query = function (this: Client, ...args: any[]): any {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    seen.push({ requestId: requestContext.current()?.requestId, text });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
  return {
    statementsOf: (requestId) => seen.filter((s) => s.requestId === requestId).map((s) => s.text),
    all: () => seen.map((s) => s.text),
    stop: () => {
      Client.prototype.query = original;
    },
  };
}

/**
 * The tables a statement reads or writes, among `known` (as the change feed names them: bare in `public`,
 * schema-qualified elsewhere): every name after FROM, JOIN, INTO or UPDATE, outside string literals.
 */
export function tablesOf(sql: string, known: ReadonlySet<string>): string[] {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  const found = new Set<string>();
  for (const match of code.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+("?\w+"?(?:\s*\.\s*"?\w+"?)?)/gi)) {
    const name = match[1].replace(/["\s]/g, '').replace(/^public\./, '');
    if (known.has(name)) found.add(name);
  }
  return [...found];
}

/** The application's tables, named as the change feed names them. */
export const TABLES_SQL = `SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END AS name
  FROM information_schema.tables
 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
   AND table_name <> 'schema_migrations'`;
