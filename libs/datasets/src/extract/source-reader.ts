import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ExtractFailure } from './extract.types';
import { quoteIdentifier } from './source-copy';

/** What decides where and as whom sources are read (the SOURCE_* settings). */
export interface SourceAccess {
  readonly databaseUrl: string;
  readonly sourceDatabaseUrl: string;
  readonly sourceSchemas: readonly string[];
  readonly sourceReadRole: string;
}

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Grants the read role USAGE and SELECT on the source schemas that exist, and nothing else; idempotent, so it
 * runs before every extract and covers tables added since. Only when sources live in the service's own database
 * (SOURCE_DATABASE_URL empty); a service user that may not grant leaves it to the operator, and the read then
 * fails plainly. Serialised by a transaction lock, because concurrent GRANTs on one schema can collide.
 */
export async function grantSourceReads(dataSource: DataSource, access: SourceAccess): Promise<void> {
  if (access.sourceDatabaseUrl || !access.sourceReadRole) return;
  const role = quoteIdentifier(access.sourceReadRole);
  try {
    await dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tre.source-grants'))`);
      const present = await manager.query<{ nspname: string }[]>(
        'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)',
        [access.sourceSchemas],
      );
      for (const { nspname } of present) {
        await manager.query(`GRANT USAGE ON SCHEMA ${quoteIdentifier(nspname)} TO ${role}`);
        await manager.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdentifier(nspname)} TO ${role}`);
      }
    });
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
  }
}

/**
 * A connection for reading sources, confined before it reads anything: it switches to the read role, then
 * proves it is no superuser and can read no relation outside the source schemas (the system catalogue's
 * world-readable metadata aside), and fails the extract otherwise. So a catalogue row pointing at
 * `public.users` or `pg_catalog.pg_authid`, however it got there, reads nothing.
 */
export async function connectSourceReader(access: SourceAccess): Promise<Client> {
  const client = new Client({
    connectionString: access.sourceDatabaseUrl || access.databaseUrl,
    application_name: 'tre-extract-source',
  });
  await client.connect();
  // A connection lost while idle fails the next query; it must not throw from an event.
  client.on('error', () => undefined);
  try {
    if (access.sourceReadRole) await client.query(`SET ROLE ${quoteIdentifier(access.sourceReadRole)}`);
    const outside = await readableOutside(client, access.sourceSchemas);
    if (outside.length) {
      throw new ExtractFailure(
        'check sources',
        `the source reader is not confined to the source schemas (${access.sourceSchemas.join(', ')}): ` +
          `it can read ${outside.join(', ')}; read sources through SOURCE_READ_ROLE or a SOURCE_DATABASE_URL login that may read those schemas only`,
      );
    }
    return client;
  } catch (error: unknown) {
    await client.end().catch(() => undefined);
    if (error instanceof ExtractFailure) throw error;
    throw new ExtractFailure(
      'check sources',
      `cannot open the source reader: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Up to five things this session could read beyond the source schemas; empty when it is confined. */
export async function readableOutside(client: Client, schemas: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ what: string }>(
    `SELECT 'superuser ' || quote_ident(current_user) AS what
       FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)
     UNION ALL
     SELECT 'pg_catalog.pg_authid' WHERE has_table_privilege('pg_catalog.pg_authid', 'SELECT')
     UNION ALL
     (SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
         AND NOT (n.nspname = ANY($1))
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
         AND has_any_column_privilege(c.oid, 'SELECT')
       ORDER BY 1 LIMIT 5)`,
    [schemas],
  );
  return rows.map((row) => row.what);
}
