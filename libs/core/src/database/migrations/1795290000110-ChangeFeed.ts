import type { MigrationInterface, QueryRunner } from 'typeorm';
import { announceChanges, CHANGE_FUNCTION_SQL, CHANGE_TRIGGER, quotedTable } from '../change-feed-trigger';

/**
 * Every application table announces its changes on the `tre_changes` channel (see change-feed-trigger.ts), so
 * the API's read cache can drop answers built from a table the moment a change to it commits, whoever made it
 * (another API replica, the worker, an operator's SQL). The tables are listed, not discovered: a migration
 * must say what it changes. Tables made later call `announceChanges` in their own migration.
 */
export const TABLES_AT_CHANGE_FEED = [
  'accreditations',
  'audit_events',
  'dac_conflicts',
  'dac_votes',
  'dataset_fields',
  'datasets',
  'domain_events',
  'extracts',
  'notification_deliveries',
  'notifications',
  'output_collect_grants',
  'output_collections',
  'output_comments',
  'output_download_links',
  'output_files',
  'output_ledger_tables',
  'output_listings',
  'output_releases',
  'output_requests',
  'output_reviews',
  'project_approvals',
  'project_dataset_requests',
  'project_members',
  'project_versions',
  'projects',
  'transparency_heads',
  'transparency_keys',
  'transparency_nodes',
  'users',
  'workspace_load_grants',
  'workspace_sessions',
  'workspaces',
  'optouts.entries',
  'optouts.list_versions',
];

export class ChangeFeed1795290000110 implements MigrationInterface {
  name = 'ChangeFeed1795290000110';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHANGE_FUNCTION_SQL);
    for (const table of TABLES_AT_CHANGE_FEED) await announceChanges(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES_AT_CHANGE_FEED)
      await queryRunner.query(`DROP TRIGGER "${CHANGE_TRIGGER}" ON ${quotedTable(table)}`);
    await queryRunner.query(`DROP FUNCTION tre_announce_change()`);
  }
}
