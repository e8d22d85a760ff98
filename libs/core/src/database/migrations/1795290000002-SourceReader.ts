import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role extracts read sources under (SOURCE_READ_ROLE's default). It cannot log in and is granted nothing
 * here: the worker grants it USAGE and SELECT on the schemas named in SOURCE_SCHEMAS only (the list is runtime
 * configuration, and source tables appear after migrations run). Roles belong to the whole Postgres cluster, so
 * creating it tolerates a concurrent creator (another database migrating at the same moment) and a service user
 * without CREATEROLE: then the operator creates it, or sets SOURCE_DATABASE_URL to a login of their own, and
 * the extract refuses to read until its session is confined.
 */
export class SourceReader1795290000002 implements MigrationInterface {
  name = 'SourceReader1795290000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tre_source_reader') THEN
          CREATE ROLE tre_source_reader NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
        END IF;
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL;
        WHEN insufficient_privilege THEN
          RAISE NOTICE 'tre_source_reader was not created (no CREATEROLE): create it or set SOURCE_DATABASE_URL';
      END
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The role is shared by every database of the cluster that uses it; only this database's grants go.
    await queryRunner.query(`
      DO $$
      DECLARE s record;
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tre_source_reader') THEN
          FOR s IN SELECT nspname FROM pg_namespace WHERE has_schema_privilege('tre_source_reader', oid, 'USAGE')
            AND nspname NOT IN ('pg_catalog', 'information_schema', 'public') LOOP
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM tre_source_reader', s.nspname);
            EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM tre_source_reader', s.nspname);
          END LOOP;
        END IF;
      END
      $$`);
  }
}
