import type { QueryRunner } from 'typeorm';

/** The channel every committed change is announced on (see the API's ChangeFeed, which listens). */
export const CHANGE_CHANNEL = 'tre_changes';

/** The trigger's name on every table; the schema test looks for it by this name. */
export const CHANGE_TRIGGER = 'tre_announce_change';

/**
 * What a table is called on the channel: its bare name in `public`, schema-qualified elsewhere (`optouts` has
 * an `entries` table of its own). The trigger function and the API's cache declarations use the same names.
 */
export const CHANGE_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION tre_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${CHANGE_CHANNEL}',
    CASE WHEN TG_TABLE_SCHEMA = 'public' THEN TG_TABLE_NAME ELSE TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME END);
  RETURN NULL;
END $$`;

/**
 * Every migration that creates a table calls this for it, in the same migration: the API's read cache serves an
 * answer only until a table it read announces a change, so a table without the trigger would leave answers
 * stale (test/database/change-feed-triggers.e2e-spec.ts fails when a table lacks it). One notification per
 * statement, not per row: Postgres folds duplicates within a transaction and delivers them at commit.
 */
export async function announceChanges(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(
    `CREATE TRIGGER "${CHANGE_TRIGGER}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${quotedTable(table)}
       FOR EACH STATEMENT EXECUTE FUNCTION tre_announce_change()`,
  );
}

/** `optouts.entries` -> `"optouts"."entries"`. */
export const quotedTable = (table: string): string =>
  table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
