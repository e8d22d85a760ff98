import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial indexes for two per-row questions the read routes ask of output files:
 * - `output_files_kept_idx`: whether a project still keeps an unreleased file (the register's deletion date):
 *   the first kept file answers, instead of every file of every request being read and aggregated;
 * - `output_files_conflicted_idx`: whether a request has a conflicted file (the checkers' queue shows a request
 *   the checker already reviewed when its checkers disagree): a few rows, not a scan of every file.
 */
export class ListingIndexes1795290000100 implements MigrationInterface {
  name = 'ListingIndexes1795290000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "output_files_kept_idx" ON "output_files" ("request_id") WHERE "deleted_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "output_files_conflicted_idx" ON "output_files" ("request_id") WHERE "conflicted"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "output_files_conflicted_idx"`);
    await queryRunner.query(`DROP INDEX "output_files_kept_idx"`);
  }
}
