import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows record a worker's steps as it runs them. */
const STEPPED_TABLES = ['workspaces', 'output_collections', 'output_listings'];

/**
 * `run_id` on every row whose steps a worker records: which run owns the steps now. Each job attempt that
 * starts running a row's steps claims the row with a new id, and every step it records carries that id, so a
 * worker that lost its job's lock but kept running (stalled, not dead) stops at its next step instead of
 * working on beside the worker that took the job over.
 */
export class RunClaims1795290000130 implements MigrationInterface {
  name = 'RunClaims1795290000130';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of STEPPED_TABLES) await queryRunner.query(`ALTER TABLE "${table}" ADD "run_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of STEPPED_TABLES)
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "run_id"`);
  }
}
