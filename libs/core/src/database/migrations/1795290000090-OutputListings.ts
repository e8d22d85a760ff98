import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Output listings: each run of a workspace's collector in list mode (a Job in the workspace's namespace, or a
 * local process with no cluster attached), with the worker's recorded steps and the listing it reported. A
 * listing belongs to a workspace, not to an output request, so it has its own table; at most one is queued or
 * running per workspace. Collect grants gain a second scope: one listing (`listing_id`) instead of one request
 * (`request_id`), exactly one of the two, so one token mechanism (and one reconciler ledger) serves both modes.
 */
export class OutputListings1795290000090 implements MigrationInterface {
  name = 'OutputListings1795290000090';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "output_listings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "requested_by" text NOT NULL,
                "runner" text NOT NULL,
                "state" text NOT NULL,
                "steps" jsonb NOT NULL DEFAULT '[]',
                "listing" jsonb,
                "origin" jsonb,
                "grant_id" uuid,
                "error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "output_listings_state_check" CHECK ("state" IN ('queued', 'running', 'succeeded', 'failed')),
                CONSTRAINT "output_listings_runner_check" CHECK ("runner" IN ('kubernetes', 'local-process')),
                CONSTRAINT "PK_output_listings" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "output_listings_workspace_idx" ON "output_listings" ("workspace_id", "created_at")`,
    );
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_listings_unsettled_key" ON "output_listings" ("workspace_id")
            WHERE "state" IN ('queued', 'running')
        `);
    await queryRunner.query(`ALTER TABLE "output_collect_grants" ALTER COLUMN "request_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "output_collect_grants" ADD "listing_id" uuid`);
    await queryRunner.query(`
            ALTER TABLE "output_collect_grants" ADD CONSTRAINT "output_collect_grants_scope_check"
            CHECK (("request_id" IS NULL) <> ("listing_id" IS NULL))
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_collect_grants_live_listing_key" ON "output_collect_grants" ("listing_id")
            WHERE "revoked_at" IS NULL
                AND "spent_at" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "output_collect_grants"
            ADD CONSTRAINT "output_collect_grants_listing_fk" FOREIGN KEY ("listing_id") REFERENCES "output_listings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "output_collect_grants" WHERE "listing_id" IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "output_collect_grants" DROP CONSTRAINT "output_collect_grants_listing_fk"`,
    );
    await queryRunner.query(`DROP INDEX "output_collect_grants_live_listing_key"`);
    await queryRunner.query(
      `ALTER TABLE "output_collect_grants" DROP CONSTRAINT "output_collect_grants_scope_check"`,
    );
    await queryRunner.query(`ALTER TABLE "output_collect_grants" DROP COLUMN "listing_id"`);
    await queryRunner.query(`ALTER TABLE "output_collect_grants" ALTER COLUMN "request_id" SET NOT NULL`);
    await queryRunner.query(`DROP TABLE "output_listings"`);
  }
}
