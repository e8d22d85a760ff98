import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users and the audit trail. Generated from the entities, then extended by hand with the trigger that makes
 * audit_events append-only: the database itself refuses UPDATE, DELETE and TRUNCATE, whoever asks.
 */

export class Foundation1795276127068 implements MigrationInterface {
  name = 'Foundation1795276127068';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "seq" bigint NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "actor_id" text NOT NULL,
                "action" text NOT NULL,
                "subject_type" text NOT NULL,
                "subject_id" text,
                "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "request_id" text,
                "prev_hash" character(64) NOT NULL,
                "hash" character(64) NOT NULL,
                CONSTRAINT "PK_6e299f5706e715265416fefe53e" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events" ("hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_action_idx" ON "audit_events" ("action", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_actor_idx" ON "audit_events" ("actor_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_subject_idx" ON "audit_events" ("subject_type", "subject_id", "seq")
        `);
    await queryRunner.query(`
            CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "audit_events"
                FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "issuer" text NOT NULL,
                "subject" text NOT NULL,
                "display_name" text NOT NULL,
                "roles" text array NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "users_issuer_subject_key" ON "users" ("issuer", "subject")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."users_issuer_subject_key"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_subject_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_actor_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_action_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_hash_key"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    await queryRunner.query(`
            DROP FUNCTION audit_events_refuse_change()
        `);
  }
}
