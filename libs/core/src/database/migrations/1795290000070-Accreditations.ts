import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin-kept accreditation register, one row per person (identity-provider subject). Where a row exists it
 * decides over the expiry declared on project memberships.
 */
export class Accreditations1795290000070 implements MigrationInterface {
  name = 'Accreditations1795290000070';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "accreditations" (
                "subject" text NOT NULL,
                "expires_on" date NOT NULL,
                "reference" text NOT NULL,
                "state" text NOT NULL,
                "lapsed_reason" text,
                "updated_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "accreditations_state_check" CHECK ("state" IN ('current', 'lapsed')),
                CONSTRAINT "PK_accreditations_subject" PRIMARY KEY ("subject")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "accreditations"`);
  }
}
