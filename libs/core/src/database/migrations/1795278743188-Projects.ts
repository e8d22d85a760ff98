import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projects, DAC review and approvals, and the domain-event outbox. Generated from the entities, then
 * extended by hand: foreign keys (child rows go with their project; a requested dataset must exist) and
 * CHECK constraints that keep statuses and decisions to the values the lifecycle knows.
 */

export class Projects1795278743188 implements MigrationInterface {
  name = 'Projects1795278743188';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "domain_events" (
                "id" BIGSERIAL NOT NULL,
                "type" text NOT NULL,
                "aggregate_type" text NOT NULL,
                "aggregate_id" uuid NOT NULL,
                "payload" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "dispatched_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_66e0920a32dda3a89b46ee7a981" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "domain_events_pending_idx" ON "domain_events" ("id")
            WHERE dispatched_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "dac_conflicts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "reviewer_id" uuid NOT NULL,
                "reason" text NOT NULL,
                "declared_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9cd10355cc7bdf8ba912e823749" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "dac_conflicts_key" ON "dac_conflicts" ("project_id", "reviewer_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "dac_votes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "application_version" integer NOT NULL,
                "reviewer_id" uuid NOT NULL,
                "decision" text NOT NULL,
                "comment" text NOT NULL,
                "conditions" text array NOT NULL DEFAULT '{}',
                "fields" jsonb,
                "end_date" date,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9d75c8d718493fe35f98dadddac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "dac_votes_one_per_reviewer" ON "dac_votes" (
                "project_id",
                "application_version",
                "reviewer_id"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "project_dataset_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "dataset_id" uuid NOT NULL,
                "dataset_code" text NOT NULL,
                "fields" text array NOT NULL,
                "legal_basis" text NOT NULL,
                CONSTRAINT "PK_d3a0025dc00f219b6f08ab32b67" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "project_dataset_requests_key" ON "project_dataset_requests" ("project_id", "dataset_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "project_approvals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "approval_version" integer NOT NULL,
                "application_version" integer NOT NULL,
                "datasets" jsonb NOT NULL,
                "conditions" text array NOT NULL,
                "end_date" date NOT NULL,
                "approver_ids" uuid array NOT NULL,
                "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_03dd4f3ab4824189b57b80c2d28" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "project_approvals_version_key" ON "project_approvals" ("project_id", "approval_version")
        `);
    await queryRunner.query(`
            CREATE TABLE "projects" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" text NOT NULL,
                "lay_summary" text NOT NULL,
                "scientific_purpose" text NOT NULL,
                "public_benefit" text NOT NULL,
                "organisation" text NOT NULL,
                "lead_id" uuid NOT NULL,
                "status" text NOT NULL,
                "application_version" integer NOT NULL DEFAULT '1',
                "requested_end_date" date NOT NULL,
                "end_date" date,
                "approved_at" TIMESTAMP WITH TIME ZONE,
                "outputs_released" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "projects_status_idx" ON "projects" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "project_members" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "project_id" uuid NOT NULL,
                "subject" text NOT NULL,
                "role" text NOT NULL,
                "accreditation_expires_on" date NOT NULL,
                CONSTRAINT "PK_0b2f46f804be4aea9234c78bcc9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "project_members_subject_idx" ON "project_members" ("subject")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "project_members_project_subject_key" ON "project_members" ("project_id", "subject")
        `);
    await queryRunner.query(`
            CREATE TABLE "project_versions" (
                "project_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "content" jsonb NOT NULL,
                "submitted_by" uuid NOT NULL,
                "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_7de0c1f64c2a3e365458548cb91" PRIMARY KEY ("project_id", "version")
            )
        `);
    for (const table of [
      'project_members',
      'project_dataset_requests',
      'project_versions',
      'dac_votes',
      'dac_conflicts',
      'project_approvals',
    ]) {
      await queryRunner.query(`
                ALTER TABLE "${table}" ADD CONSTRAINT "${table}_project_fk"
                    FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE
            `);
    }
    await queryRunner.query(`
            ALTER TABLE "project_dataset_requests" ADD CONSTRAINT "project_dataset_requests_dataset_fk"
                FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id")
        `);
    await queryRunner.query(`
            ALTER TABLE "projects" ADD CONSTRAINT "projects_status_check" CHECK ("status" IN
                ('draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn',
                 'suspended', 'revoked', 'expired', 'closed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "dac_votes" ADD CONSTRAINT "dac_votes_decision_check"
                CHECK ("decision" IN ('approve', 'reject', 'request_changes'))
        `);
    await queryRunner.query(`
            ALTER TABLE "project_members" ADD CONSTRAINT "project_members_role_check" CHECK ("role" IN ('lead', 'member'))
        `);
    await queryRunner.query(`
            ALTER TABLE "project_dataset_requests" ADD CONSTRAINT "project_dataset_requests_legal_basis_check"
                CHECK ("legal_basis" IN ('consent', 's251', 's251_cag_exempt', 'public_health_reg3', 'legal_requirement', 'anonymised'))
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "project_dataset_requests" DROP CONSTRAINT "project_dataset_requests_dataset_fk"
        `);
    for (const table of [
      'project_members',
      'project_dataset_requests',
      'project_versions',
      'dac_votes',
      'dac_conflicts',
      'project_approvals',
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_project_fk"`);
    }
    await queryRunner.query(`
            DROP TABLE "project_versions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."project_members_project_subject_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."project_members_subject_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "project_members"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."projects_status_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "projects"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."project_approvals_version_key"
        `);
    await queryRunner.query(`
            DROP TABLE "project_approvals"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."project_dataset_requests_key"
        `);
    await queryRunner.query(`
            DROP TABLE "project_dataset_requests"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."dac_votes_one_per_reviewer"
        `);
    await queryRunner.query(`
            DROP TABLE "dac_votes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."dac_conflicts_key"
        `);
    await queryRunner.query(`
            DROP TABLE "dac_conflicts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."domain_events_pending_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "domain_events"
        `);
  }
}
