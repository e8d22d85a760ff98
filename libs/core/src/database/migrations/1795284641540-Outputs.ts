import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The airlock: output requests and their files (bytes in the content-addressed store, records and check
 * results here), checkers' votes per file and round, releases with their manifests, one-time download links,
 * and the per-project ledger of released tables for differencing.
 */
export class Outputs1795284641540 implements MigrationInterface {
  name = 'Outputs1795284641540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "output_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "title" text NOT NULL,
                "status" text NOT NULL,
                "round" integer NOT NULL DEFAULT '0',
                "check_error" text,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "checked_at" TIMESTAMP WITH TIME ZONE,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "output_requests_status_check" CHECK (
                    "status" IN (
                        'draft',
                        'submitted',
                        'checking',
                        'blocked',
                        'in_review',
                        'approved',
                        'rejected',
                        'returned',
                        'withdrawn',
                        'released'
                    )
                ),
                CONSTRAINT "PK_5c64511df9cb022f13dad5ac5ad" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "output_requests_status_idx" ON "output_requests" ("status")
        `);
    await queryRunner.query(`
            CREATE INDEX "output_requests_project_idx" ON "output_requests" ("project_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "output_releases" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "bundle_sha256" character(64) NOT NULL,
                "manifest" jsonb NOT NULL,
                "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1bff503975746d4f4e2a029d9fb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "output_releases_project_idx" ON "output_releases" ("project_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_releases_request_key" ON "output_releases" ("request_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "output_download_links" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "release_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "file_name" text NOT NULL,
                "sha256" character(64) NOT NULL,
                "media_type" text NOT NULL,
                "token_sha256" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7438266c66a85e6d07f20f6ded1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_download_links_token_key" ON "output_download_links" ("token_sha256")
        `);
    await queryRunner.query(`
            CREATE TABLE "output_files" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "file_name" text NOT NULL,
                "media_type" text NOT NULL,
                "size_bytes" integer NOT NULL,
                "sha256" character(64) NOT NULL,
                "record" jsonb,
                "check_state" text NOT NULL DEFAULT 'pending',
                "check_result" jsonb,
                "decision" text NOT NULL DEFAULT 'pending',
                "conflicted" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "output_files_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
                CONSTRAINT "output_files_decision_check" CHECK (
                    "decision" IN (
                        'pending',
                        'approved',
                        'changes_requested',
                        'rejected'
                    )
                ),
                CONSTRAINT "output_files_check_state_check" CHECK ("check_state" IN ('pending', 'running', 'done')),
                CONSTRAINT "PK_2dec2d88b545c4676d5d516323d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_files_request_name_key" ON "output_files" ("request_id", "file_name")
        `);
    await queryRunner.query(`
            CREATE TABLE "output_ledger_tables" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "release_id" uuid NOT NULL,
                "table_key" text NOT NULL,
                "variables_key" text NOT NULL,
                "record" jsonb NOT NULL,
                "released_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_50764a70f9b9429b52d10b706a0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "output_ledger_tables_lookup_idx" ON "output_ledger_tables" ("project_id", "variables_key")
        `);
    await queryRunner.query(`
            CREATE TABLE "output_reviews" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "file_id" uuid NOT NULL,
                "checker_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "vote" text NOT NULL,
                "comment" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "output_reviews_vote_check" CHECK (
                    "vote" IN ('approve', 'request_changes', 'reject')
                ),
                CONSTRAINT "PK_bbbac5203caf86b949a2d246a12" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "output_reviews_request_round_idx" ON "output_reviews" ("request_id", "round")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_reviews_one_per_checker" ON "output_reviews" ("file_id", "round", "checker_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "output_requests"
            ADD CONSTRAINT "output_requests_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "output_releases"
            ADD CONSTRAINT "output_releases_request_fk" FOREIGN KEY ("request_id") REFERENCES "output_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "output_download_links"
            ADD CONSTRAINT "output_download_links_release_fk" FOREIGN KEY ("release_id") REFERENCES "output_releases"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "output_files"
            ADD CONSTRAINT "output_files_request_fk" FOREIGN KEY ("request_id") REFERENCES "output_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "output_ledger_tables"
            ADD CONSTRAINT "output_ledger_tables_release_fk" FOREIGN KEY ("release_id") REFERENCES "output_releases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "output_reviews"
            ADD CONSTRAINT "output_reviews_file_fk" FOREIGN KEY ("file_id") REFERENCES "output_files"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "output_reviews" DROP CONSTRAINT "output_reviews_file_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "output_ledger_tables" DROP CONSTRAINT "output_ledger_tables_release_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "output_files" DROP CONSTRAINT "output_files_request_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "output_download_links" DROP CONSTRAINT "output_download_links_release_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "output_releases" DROP CONSTRAINT "output_releases_request_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "output_requests" DROP CONSTRAINT "output_requests_project_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_reviews_one_per_checker"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_reviews_request_round_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "output_reviews"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_ledger_tables_lookup_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "output_ledger_tables"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_files_request_name_key"
        `);
    await queryRunner.query(`
            DROP TABLE "output_files"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_download_links_token_key"
        `);
    await queryRunner.query(`
            DROP TABLE "output_download_links"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_releases_request_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_releases_project_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "output_releases"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_requests_project_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."output_requests_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "output_requests"
        `);
  }
}
