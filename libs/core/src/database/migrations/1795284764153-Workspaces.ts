import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Workspaces1795284764153 implements MigrationInterface {
  name = 'Workspaces1795284764153';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "workspaces" (
                "id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "approval_id" uuid NOT NULL,
                "size" text NOT NULL,
                "tool" text NOT NULL,
                "namespace" text NOT NULL,
                "state" text NOT NULL,
                "operation" text,
                "steps" jsonb NOT NULL DEFAULT '[]',
                "failure_reason" text,
                "cleanup_pending" boolean NOT NULL DEFAULT false,
                "teardown_due_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "workspaces_operation_check" CHECK (
                    "operation" IS NULL
                    OR "operation" IN ('provision', 'suspend', 'resume', 'teardown')
                ),
                CONSTRAINT "workspaces_state_check" CHECK (
                    "state" IN (
                        'requested',
                        'provisioning',
                        'ready',
                        'suspended',
                        'deprovisioning',
                        'deleted',
                        'failed'
                    )
                ),
                CONSTRAINT "PK_098656ae401f3e1a4586f47fd8e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "workspaces_state_idx" ON "workspaces" ("state")
        `);
    await queryRunner.query(`
            CREATE INDEX "workspaces_project_idx" ON "workspaces" ("project_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "workspaces_namespace_key" ON "workspaces" ("namespace")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "workspaces_approval_key" ON "workspaces" ("approval_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "projects"
            ADD "workspace_choice" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "project_approvals"
            ADD "workspace" jsonb
        `);
    await queryRunner.query(`
            ALTER TABLE "workspaces"
            ADD CONSTRAINT "workspaces_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "workspaces"
            ADD CONSTRAINT "workspaces_approval_fk" FOREIGN KEY ("approval_id") REFERENCES "project_approvals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "workspaces" DROP CONSTRAINT "workspaces_approval_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "workspaces" DROP CONSTRAINT "workspaces_project_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "project_approvals" DROP COLUMN "workspace"
        `);
    await queryRunner.query(`
            ALTER TABLE "projects" DROP COLUMN "workspace_choice"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspaces_approval_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspaces_namespace_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspaces_project_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."workspaces_state_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "workspaces"
        `);
  }
}
