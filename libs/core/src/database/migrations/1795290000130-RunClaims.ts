import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workspaces.run_id`: which run of the current operation owns the row's steps. Each job attempt that starts
 * an operation's steps claims the row with a new id, and every step it records carries that id, so a worker
 * that lost its job's lock but kept running (stalled, not dead) stops at its next step instead of working on
 * beside the worker that took the job over.
 */
export class WorkspaceRunClaim1795290000130 implements MigrationInterface {
  name = 'WorkspaceRunClaim1795290000130';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" ADD "run_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" DROP COLUMN "run_id"`);
  }
}
