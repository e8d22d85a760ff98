import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workspace sessions through the access gateway: the one-time ticket and the session token are stored as
 * SHA-256 only; a session ends once, with a reason. The live index serves the revocation look-ups by project.
 */
export class WorkspaceSessions1795290000001 implements MigrationInterface {
  name = 'WorkspaceSessions1795290000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "workspace_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "workspace_id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "subject" text NOT NULL,
                "ticket_hash" text NOT NULL,
                "ticket_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "redeemed_at" TIMESTAMP WITH TIME ZONE,
                "token_hash" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_activity_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "end_reason" text,
                "bytes_in" bigint NOT NULL DEFAULT '0',
                "bytes_out" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "workspace_sessions_token_check" CHECK (("redeemed_at" IS NULL) = ("token_hash" IS NULL)),
                CONSTRAINT "workspace_sessions_end_reason_check" CHECK (
                    ("ended_at" IS NULL) = ("end_reason" IS NULL)
                    AND ("end_reason" IS NULL OR "end_reason" IN ('closed', 'idle', 'revoked', 'suspended', 'expired', 'terminated'))
                ),
                CONSTRAINT "PK_workspace_sessions" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "workspace_sessions_ticket_key" ON "workspace_sessions" ("ticket_hash")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "workspace_sessions_token_key" ON "workspace_sessions" ("token_hash")`,
    );
    await queryRunner.query(
      `CREATE INDEX "workspace_sessions_workspace_idx" ON "workspace_sessions" ("workspace_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "workspace_sessions_live_idx" ON "workspace_sessions" ("project_id") WHERE "ended_at" IS NULL`,
    );
    await queryRunner.query(`
            ALTER TABLE "workspace_sessions"
            ADD CONSTRAINT "workspace_sessions_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "workspace_sessions" DROP CONSTRAINT "workspace_sessions_workspace_fk"`,
    );
    await queryRunner.query(`DROP TABLE "workspace_sessions"`);
  }
}
