import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Datasets gain an origin (the GP type 1 opt-out follows data of GP origin), and the opt-out lists get their
 * own schema, apart from the source data: one row per loaded version of a list and the normalised NHS numbers
 * of each version. The schema itself is created here because TypeORM does not generate schemas.
 */

export class OptOuts1795279858115 implements MigrationInterface {
  name = 'OptOuts1795279858115';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "optouts"`);
    await queryRunner.query(`
            CREATE TABLE "optouts"."list_versions" (
                "list" text NOT NULL,
                "version" integer NOT NULL,
                "count" integer NOT NULL,
                "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "loaded_by" text NOT NULL,
                "superseded_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "optout_list_versions_counts_check" CHECK (
                    "version" > 0
                    AND "count" >= 0
                ),
                CONSTRAINT "optout_list_versions_list_check" CHECK ("list" IN ('national', 'type1')),
                CONSTRAINT "PK_efff4227379dc4d2f5f771b12a6" PRIMARY KEY ("list", "version")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "optouts"."entries" (
                "list" text NOT NULL,
                "version" integer NOT NULL,
                "nhs_number" text NOT NULL,
                CONSTRAINT "optout_entries_nhs_number_check" CHECK ("nhs_number" ~ '^[0-9]{10}$'),
                CONSTRAINT "PK_9ace9b402cde610d910b1ffa997" PRIMARY KEY ("list", "version", "nhs_number")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets"
            ADD "origin" text NOT NULL DEFAULT 'other'
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets"
            ADD CONSTRAINT "datasets_origin_check" CHECK (
                    "origin" IN ('gp', 'hospital', 'registry', 'other')
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "optouts"."entries"
            ADD CONSTRAINT "optout_entries_version_fkey" FOREIGN KEY ("list", "version") REFERENCES "optouts"."list_versions"("list", "version") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "optouts"."entries" DROP CONSTRAINT "optout_entries_version_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets" DROP CONSTRAINT "datasets_origin_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets" DROP COLUMN "origin"
        `);
    await queryRunner.query(`
            DROP TABLE "optouts"."entries"
        `);
    await queryRunner.query(`
            DROP TABLE "optouts"."list_versions"
        `);
    await queryRunner.query(`DROP SCHEMA "optouts"`);
  }
}
