import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why an email was not sent (no address known, email turned off, no SMTP server), kept on its inbox row so an
 * admin can see who is reached by the inbox only; and the message that a project was suspended, resumed or ended.
 */
export class NotificationReasons1795290000093 implements MigrationInterface {
  name = 'NotificationReasons1795290000093';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "email_not_sent_reason" text`);
    await queryRunner.query(`
            ALTER TABLE "notifications" ADD CONSTRAINT "notifications_email_not_sent_reason_check"
                CHECK ("email_not_sent_reason" IN ('no_address', 'email_off', 'email_unavailable'))
        `);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await queryRunner.query(`
            ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
                CHECK ("kind" IN ('application_to_review', 'application_decided', 'output_to_check', 'output_conflict',
                                  'output_released', 'project_status_changed', 'project_lapsing', 'accreditation_lapsing'))
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" = 'project_status_changed'`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check"`);
    await queryRunner.query(`
            ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
                CHECK ("kind" IN ('application_to_review', 'application_decided', 'output_to_check', 'output_conflict',
                                  'output_released', 'project_lapsing', 'accreditation_lapsing'))
        `);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "email_not_sent_reason"`);
  }
}
