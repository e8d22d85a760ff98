import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collect grants: one-time tokens (stored as SHA-256 only) that let a request's collector send the named files
 * of a workspace's outputs volume to the airlock's intake; at most one live grant per request. Output files
 * gain their provenance (where and how they were collected) and the researcher's context and controls text.
 */
export class OutputCollectGrants1795290000000 implements MigrationInterface {
  name = 'OutputCollectGrants1795290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "output_collect_grants" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" text NOT NULL,
                "request_id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "requested_by" text NOT NULL,
                "items" jsonb NOT NULL,
                "origin" jsonb NOT NULL,
                "results" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "pending_records" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "spent_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_output_collect_grants" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_collect_grants_token_key" ON "output_collect_grants" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_collect_grants_live_key" ON "output_collect_grants" ("request_id")
            WHERE "revoked_at" IS NULL
                AND "spent_at" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "output_collect_grants"
            ADD CONSTRAINT "output_collect_grants_request_fk" FOREIGN KEY ("request_id") REFERENCES "output_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`ALTER TABLE "output_files" ADD "provenance" jsonb`);
    await queryRunner.query(`ALTER TABLE "output_files" ADD "context" text`);
    await queryRunner.query(`ALTER TABLE "output_files" ADD "controls" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "output_files" DROP COLUMN "controls"`);
    await queryRunner.query(`ALTER TABLE "output_files" DROP COLUMN "context"`);
    await queryRunner.query(`ALTER TABLE "output_files" DROP COLUMN "provenance"`);
    await queryRunner.query(`DROP TABLE "output_collect_grants"`);
  }
}
