import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the inbox (one row per cause and person, with the email's fate), and on `users` the address
 * from the token's `email` claim and the person's choice of email (on unless they turn it off).
 */
export class Notifications1795290000080 implements MigrationInterface {
  name = 'Notifications1795290000080';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email" text`);
    await queryRunner.query(`ALTER TABLE "users" ADD "email_notifications" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "recipient_subject" text NOT NULL,
                "kind" text NOT NULL,
                "link" text NOT NULL,
                "event_key" text NOT NULL,
                "email_status" text NOT NULL DEFAULT 'pending',
                "emailed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notifications_kind_check" CHECK ("kind" IN ('application_to_review', 'application_decided', 'output_to_check', 'output_conflict', 'output_released', 'project_lapsing', 'accreditation_lapsing')),
                CONSTRAINT "notifications_email_status_check" CHECK ("email_status" IN ('pending', 'sent', 'not_sent', 'failed')),
                CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notifications_event_recipient_key" ON "notifications" ("event_key", "recipient_subject")
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_recipient_idx" ON "notifications" ("recipient_subject", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_unread_idx" ON "notifications" ("recipient_subject") WHERE read_at IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email"`);
  }
}
