import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Load grants: one-time tokens (stored as SHA-256 only) that let a workspace's loader fetch one extract. At
 * most one live grant per workspace and extract (a partial unique index). No foreign key to workspaces: that
 * table is another lib's; projects and extracts are referenced and cascade.
 */

export class WorkspaceLoadGrants1795284886948 implements MigrationInterface {
  name = 'WorkspaceLoadGrants1795284886948';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "workspace_load_grants" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" text NOT NULL,
                "workspace_id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "extract_id" uuid NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "completed_at" TIMESTAMP WITH TIME ZONE,
                "files_verified" integer,
                "bytes" bigint,
                CONSTRAINT "workspace_load_grants_report_check" CHECK (
                    ("completed_at" IS NULL) = ("files_verified" IS NULL)
                    AND ("completed_at" IS NULL) = ("bytes" IS NULL)
                ),
                CONSTRAINT "PK_55effcf904f8de27f0797fb82ad" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "workspace_load_grants_workspace_idx" ON "workspace_load_grants" ("workspace_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "workspace_load_grants_live_key" ON "workspace_load_grants" ("workspace_id", "extract_id")
            WHERE "revoked_at" IS NULL
                AND "completed_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "workspace_load_grants_token_key" ON "workspace_load_grants" ("token_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "workspace_load_grants"
            ADD CONSTRAINT "workspace_load_grants_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "workspace_load_grants"
            ADD CONSTRAINT "workspace_load_grants_extract_fk" FOREIGN KEY ("extract_id") REFERENCES "extracts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "workspace_load_grants" DROP CONSTRAINT "workspace_load_grants_extract_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "workspace_load_grants" DROP CONSTRAINT "workspace_load_grants_project_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspace_load_grants_token_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspace_load_grants_live_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspace_load_grants_workspace_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "workspace_load_grants"
        `);
  }
}
