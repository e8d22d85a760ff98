import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention and the public register's account of it. A project records when it ended (revoked, expired or
 * closed: the retention clock starts there) and an admin's legal hold, which pauses its deletions. Extracts,
 * output files and released bundles record when retention deleted their bytes; the rows stay (the audit
 * trail, the register and the release ledger keep what was done, not the data).
 */
export class Retention1795290000030 implements MigrationInterface {
  name = 'Retention1795290000030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "projects"
                ADD "ended_at" TIMESTAMP WITH TIME ZONE,
                ADD "legal_hold_reason" text,
                ADD "legal_hold_placed_at" TIMESTAMP WITH TIME ZONE,
                ADD "legal_hold_placed_by" text
        `);
    // Projects that ended before this column existed: the time of their ending event, else their last change.
    await queryRunner.query(`
            UPDATE "projects" p SET "ended_at" = COALESCE(
                (SELECT max(a."occurred_at") FROM "audit_events" a
                  WHERE a."subject_type" = 'project' AND a."subject_id" = p."id"::text
                    AND a."action" IN ('project.revoked', 'project.expired', 'project.closed')),
                p."updated_at")
             WHERE p."status" IN ('revoked', 'expired', 'closed')
        `);
    await queryRunner.query(`
            ALTER TABLE "projects" ADD CONSTRAINT "projects_legal_hold_check"
                CHECK (("legal_hold_reason" IS NULL) = ("legal_hold_placed_at" IS NULL))
        `);
    await queryRunner.query(`ALTER TABLE "extracts" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "output_files" ADD "deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "output_releases" ADD "files_deleted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "projects_ended_idx" ON "projects" ("ended_at") WHERE "ended_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "projects_ended_idx"`);
    await queryRunner.query(`ALTER TABLE "output_releases" DROP COLUMN "files_deleted_at"`);
    await queryRunner.query(`ALTER TABLE "output_files" DROP COLUMN "deleted_at"`);
    await queryRunner.query(`ALTER TABLE "extracts" DROP COLUMN "deleted_at"`);
    await queryRunner.query(`ALTER TABLE "projects" DROP CONSTRAINT "projects_legal_hold_check"`);
    await queryRunner.query(`
            ALTER TABLE "projects"
                DROP COLUMN "legal_hold_placed_by",
                DROP COLUMN "legal_hold_placed_at",
                DROP COLUMN "legal_hold_reason",
                DROP COLUMN "ended_at"
        `);
  }
}
