import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the reads the web app makes most, found with EXPLAIN ANALYZE over a year's data (`npm run bench --
 * api`): the blind-vote seal looks a project up by `id::text` (audit subjects are text) for every vote event a
 * timeline or audit page passes, which without this index read every project under review each time; the
 * output checkers' queue takes the newest requests of one status, which without the second sorted them all.
 */
export class ReadPathIndexes1795290000040 implements MigrationInterface {
  name = 'ReadPathIndexes1795290000040';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "projects_id_text_idx" ON "projects" (("id"::text))`);
    await queryRunner.query(
      `CREATE INDEX "output_requests_status_updated_idx" ON "output_requests" ("status", "updated_at" DESC, "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "output_requests_status_updated_idx"`);
    await queryRunner.query(`DROP INDEX "projects_id_text_idx"`);
  }
}
