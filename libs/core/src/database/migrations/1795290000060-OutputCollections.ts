import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Output collections: each run of a request's collector (a Job in the workspace's namespace, or a local process
 * with no cluster attached), with the worker's recorded steps and each file's result. At most one collection
 * of a request is queued or running at a time.
 */
export class OutputCollections1795290000060 implements MigrationInterface {
  name = 'OutputCollections1795290000060';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "output_collections" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "project_id" uuid NOT NULL,
                "workspace_id" uuid NOT NULL,
                "requested_by" text NOT NULL,
                "runner" text NOT NULL,
                "state" text NOT NULL,
                "items" jsonb NOT NULL,
                "steps" jsonb NOT NULL DEFAULT '[]',
                "results" jsonb,
                "grant_id" uuid,
                "error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "output_collections_state_check" CHECK ("state" IN ('queued', 'running', 'succeeded', 'failed')),
                CONSTRAINT "output_collections_runner_check" CHECK ("runner" IN ('kubernetes', 'local-process')),
                CONSTRAINT "PK_output_collections" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE INDEX "output_collections_request_idx" ON "output_collections" ("request_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "output_collections_workspace_idx" ON "output_collections" ("workspace_id")`,
    );
    await queryRunner.query(`
            CREATE UNIQUE INDEX "output_collections_unsettled_key" ON "output_collections" ("request_id")
            WHERE "state" IN ('queued', 'running')
        `);
    await queryRunner.query(`
            ALTER TABLE "output_collections"
            ADD CONSTRAINT "output_collections_request_fk" FOREIGN KEY ("request_id") REFERENCES "output_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "output_collections"`);
  }
}
