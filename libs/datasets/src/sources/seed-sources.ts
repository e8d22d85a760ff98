import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  appendCopyRows,
  copySql,
  createTableSql,
  DEFAULT_SOURCE_SCHEMA,
  indexSql,
  quoteSchema,
  SOURCE_TABLES,
  validNhsNumberSql,
  type SourceTable,
} from './source-tables';
import { DEFAULT_SEED, generatePopulation } from './synthetic-population';

export interface SeedSourcesOptions {
  readonly people: number;
  readonly seed?: number;
  /** Defaults to `source`. */
  readonly schema?: string;
  /** Drop and recreate the three tables if they exist; without it, tables holding rows are refused. */
  readonly truncate?: boolean;
}

export interface SeedReport {
  readonly schema: string;
  readonly people: number;
  readonly seed: number;
  readonly rows: Readonly<Record<SourceTable, number>>;
  readonly totalRows: number;
  /** Time to generate and COPY the rows, then to build indexes and statistics. */
  readonly loadMs: number;
  readonly indexMs: number;
}

/** Thrown when the source tables already hold rows and truncate was not asked for. */
export class SourcesNotEmptyError extends Error {
  constructor(schema: string) {
    super(`source tables in schema ${schema} already hold rows; pass --truncate to replace them`);
    this.name = 'SourcesNotEmptyError';
  }
}

/** People per batch written to the COPY streams: large enough to amortise, small enough to stay flat. */
const BATCH = 2_000;

async function connect(databaseUrl: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'tre-seed' });
  await client.connect();
  return client;
}

async function write(stream: Writable, chunk: string): Promise<void> {
  // once() rejects if the stream errors while we wait, so a failed COPY cannot hang the seed.
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function prepareTables(client: Client, schema: string, truncate: boolean): Promise<void> {
  const quoted = quoteSchema(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
  for (const table of SOURCE_TABLES) {
    const [{ exists }] = (
      await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
        `${quoted}."${table}"`,
      ])
    ).rows;
    if (!exists) continue;
    if (!truncate) {
      const { rowCount } = await client.query(`SELECT 1 FROM ${quoted}."${table}" LIMIT 1`);
      if (rowCount) throw new SourcesNotEmptyError(schema);
    }
    await client.query(`DROP TABLE ${quoted}."${table}"`);
  }
  for (const table of SOURCE_TABLES) await client.query(createTableSql(schema, table));
}

/**
 * Writes the synthetic population into the three source tables: one COPY stream per table on its own
 * connection, fed batch by batch as people are generated, so Postgres parses one table while Node generates
 * the next batch. Identifiers never reach a log; the report holds counts only.
 */
export async function seedSources(databaseUrl: string, options: SeedSourcesOptions): Promise<SeedReport> {
  const schema = options.schema ?? DEFAULT_SOURCE_SCHEMA;
  const seed = options.seed ?? DEFAULT_SEED;
  quoteSchema(schema);
  const clients = await Promise.all(SOURCE_TABLES.map(() => connect(databaseUrl)));
  try {
    const started = Date.now();
    await prepareTables(clients[0], schema, options.truncate ?? false);
    const streams = SOURCE_TABLES.map((table, i) => clients[i].query(copyFrom(copySql(schema, table))));
    const rows: Record<SourceTable, number> = { gp_registrations: 0, hes_apc: 0, deaths: 0 };
    const flush = async (buffers: Record<SourceTable, string[]>): Promise<void> => {
      await Promise.all(
        SOURCE_TABLES.map(async (table, i) => {
          rows[table] += buffers[table].length;
          if (buffers[table].length > 0) await write(streams[i], buffers[table].join(''));
          buffers[table] = [];
        }),
      );
    };
    let buffers: Record<SourceTable, string[]> = { gp_registrations: [], hes_apc: [], deaths: [] };
    let inBatch = 0;
    try {
      for (const person of generatePopulation({ people: options.people, seed })) {
        appendCopyRows(person, buffers);
        if (++inBatch === BATCH) {
          await flush(buffers);
          buffers = { gp_registrations: [], hes_apc: [], deaths: [] };
          inBatch = 0;
        }
      }
      await flush(buffers);
      await Promise.all(streams.map((stream) => finished(stream.end())));
    } catch (error: unknown) {
      streams.forEach((stream) => stream.destroy());
      throw error;
    }
    const loaded = Date.now();
    await Promise.all(
      SOURCE_TABLES.map(async (table, i) => {
        await clients[i].query(`SET maintenance_work_mem = '256MB'`);
        for (const sql of indexSql(schema, table)) await clients[i].query(sql);
      }),
    );
    const totalRows = rows.gp_registrations + rows.hes_apc + rows.deaths;
    return {
      schema,
      people: options.people,
      seed,
      rows,
      totalRows,
      loadMs: loaded - started,
      indexMs: Date.now() - loaded,
    };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

export interface SourceTableCounts {
  readonly rows: number;
  readonly missingNhsNumber: number;
  /** Present but not ten digits passing modulus 11 (after removing spaces). */
  readonly invalidNhsNumber: number;
  readonly distinctValidNhsNumbers: number;
}

/** What the source tables hold now, counted in the database: counts only, never a number. */
export async function seededCounts(
  databaseUrl: string,
  schema: string = DEFAULT_SOURCE_SCHEMA,
): Promise<Record<SourceTable, SourceTableCounts>> {
  const client = await connect(databaseUrl);
  try {
    const counts = {} as Record<SourceTable, SourceTableCounts>;
    const valid = validNhsNumberSql('nhs_number');
    for (const table of SOURCE_TABLES) {
      const { rows } = await client.query<Record<string, string>>(
        `SELECT count(*) AS rows,
                count(*) FILTER (WHERE nhs_number IS NULL) AS missing,
                count(*) FILTER (WHERE nhs_number IS NOT NULL AND NOT ${valid}) AS invalid,
                count(DISTINCT regexp_replace(nhs_number, '\\s', '', 'g')) FILTER (WHERE ${valid}) AS distinct_valid
           FROM ${quoteSchema(schema)}."${table}"`,
      );
      counts[table] = {
        rows: Number(rows[0].rows),
        missingNhsNumber: Number(rows[0].missing),
        invalidNhsNumber: Number(rows[0].invalid),
        distinctValidNhsNumbers: Number(rows[0].distinct_valid),
      };
    }
    return counts;
  } finally {
    await client.end();
  }
}
