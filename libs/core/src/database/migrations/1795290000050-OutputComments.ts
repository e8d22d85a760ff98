import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The checkers' comment thread on an output request (private among them until the round is decided). */
export class OutputComments1795290000050 implements MigrationInterface {
  name = 'OutputComments1795290000050';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "output_comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "request_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "author_id" uuid NOT NULL,
                "file_id" uuid,
                "body" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "output_comments_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "output_comments_request_idx" ON "output_comments" ("request_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "output_comments"
            ADD CONSTRAINT "output_comments_request_fk" FOREIGN KEY ("request_id") REFERENCES "output_requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "output_comments"`);
  }
}
