import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dataset catalogue: datasets and their fields with how each may be released. Generated from the
 * entities, whose named CHECKs repeat the API's rules in the database as a backstop: above all, a direct
 * identifier can never be stored with release form keep, and a generalise level exists exactly when the
 * release form is generalise. (The generator's no-op drift on audit_events.details' default is left out.)
 */

export class DatasetCatalogue1795278636163 implements MigrationInterface {
  name = 'DatasetCatalogue1795278636163';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "datasets" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" text NOT NULL,
                "title" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "custodian_id" uuid NOT NULL,
                "source_schema" text NOT NULL DEFAULT 'source',
                "source_table" text NOT NULL,
                "person_id_column" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "datasets_source_check" CHECK (
                    "source_schema" ~ '^[a-z_][a-z0-9_]*$'
                    AND length("source_schema") <= 63
                    AND "source_table" ~ '^[a-z_][a-z0-9_]*$'
                    AND length("source_table") <= 63
                    AND "person_id_column" ~ '^[a-z_][a-z0-9_]*$'
                    AND length("person_id_column") <= 63
                ),
                CONSTRAINT "datasets_code_check" CHECK (
                    "code" ~ '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$'
                    AND length("code") <= 64
                ),
                CONSTRAINT "PK_1bf831e43c559a240303e23d038" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "datasets_code_key" ON "datasets" ("code")
        `);
    await queryRunner.query(`
            CREATE TABLE "dataset_fields" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "dataset_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "name" text NOT NULL,
                "type" text NOT NULL,
                "classification" text NOT NULL,
                "release_form" text NOT NULL,
                "generalise_level" text,
                "description" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "dataset_fields_direct_identifier_not_kept_check" CHECK (
                    NOT (
                        "classification" = 'direct_identifier'
                        AND "release_form" = 'keep'
                    )
                ),
                CONSTRAINT "dataset_fields_generalise_level_check" CHECK (
                    (
                        "release_form" = 'generalise'
                        AND "generalise_level" IN (
                            'year',
                            'month',
                            'year_month',
                            'district',
                            'decade',
                            'age_band_5'
                        )
                    )
                    OR (
                        "release_form" <> 'generalise'
                        AND "generalise_level" IS NULL
                    )
                ),
                CONSTRAINT "dataset_fields_release_form_check" CHECK (
                    "release_form" IN ('drop', 'pseudonymise', 'generalise', 'keep')
                ),
                CONSTRAINT "dataset_fields_classification_check" CHECK (
                    "classification" IN (
                        'direct_identifier',
                        'quasi_identifier',
                        'sensitive',
                        'attribute'
                    )
                ),
                CONSTRAINT "dataset_fields_type_check" CHECK (
                    "type" IN (
                        'string',
                        'integer',
                        'decimal',
                        'date',
                        'boolean',
                        'code'
                    )
                ),
                CONSTRAINT "dataset_fields_name_check" CHECK (
                    "name" ~ '^[a-z_][a-z0-9_]*$'
                    AND length("name") <= 63
                ),
                CONSTRAINT "PK_c8f34b2147b3243ec92a8b0e44e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "dataset_fields_dataset_name_key" ON "dataset_fields" ("dataset_id", "name")
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets"
            ADD CONSTRAINT "datasets_custodian_id_fkey" FOREIGN KEY ("custodian_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "dataset_fields"
            ADD CONSTRAINT "dataset_fields_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "dataset_fields" DROP CONSTRAINT "dataset_fields_dataset_id_fkey"
        `);
    await queryRunner.query(`
            ALTER TABLE "datasets" DROP CONSTRAINT "datasets_custodian_id_fkey"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."dataset_fields_dataset_name_key"
        `);
    await queryRunner.query(`
            DROP TABLE "dataset_fields"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."datasets_code_key"
        `);
    await queryRunner.query(`
            DROP TABLE "datasets"
        `);
  }
}
