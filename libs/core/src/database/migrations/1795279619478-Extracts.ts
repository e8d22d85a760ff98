import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extracts: one per approval (unique), with their steps, gate report and manifest. No foreign keys to the
 * projects tables: the datasets library cannot declare relations into projects (it would make the libraries
 * depend on each other), and a key the entities do not declare would be dropped by the next generated diff.
 */

export class Extracts1795279619478 implements MigrationInterface {
  name = 'Extracts1795279619478';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "extracts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "approval_id" uuid NOT NULL,
                "status" text NOT NULL,
                "key_version" integer NOT NULL,
                "steps" jsonb NOT NULL DEFAULT '[]',
                "failure_reason" text,
                "manifest" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "extracts_status_check" CHECK (
                    "status" IN ('pending', 'running', 'ready', 'failed')
                ),
                CONSTRAINT "PK_f32629b874436f0ae676f188e39" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "extracts_project_idx" ON "extracts" ("project_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "extracts_approval_key" ON "extracts" ("approval_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."extracts_approval_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."extracts_project_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "extracts"
        `);
  }
}
