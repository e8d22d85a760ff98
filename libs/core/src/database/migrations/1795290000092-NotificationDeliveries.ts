import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record per domain event whose notifications were worked out (or given up on), so a `notifications.deliver`
 * job Redis lost after the relay dispatched its event can be told from an event that notified no one. Events
 * dispatched before this migration count as delivered: their jobs ran (or their chance is long gone), and
 * delivering an old submission now would send today's committee a stale message.
 */
export class NotificationDeliveries1795290000092 implements MigrationInterface {
  name = 'NotificationDeliveries1795290000092';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification_deliveries" (
                "event_id" bigint NOT NULL,
                "outcome" text NOT NULL,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "notification_deliveries_outcome_check" CHECK ("outcome" IN ('delivered', 'failed')),
                CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("event_id"),
                CONSTRAINT "notification_deliveries_event_fkey" FOREIGN KEY ("event_id")
                    REFERENCES "domain_events" ("id") ON DELETE CASCADE
            )
        `);
    // The convergence sweep reads the last days' dispatched events for ones never delivered.
    await queryRunner.query(
      `CREATE INDEX "domain_events_dispatched_at_idx" ON "domain_events" ("dispatched_at") WHERE dispatched_at IS NOT NULL`,
    );
    await queryRunner.query(`
            INSERT INTO "notification_deliveries" ("event_id", "outcome", "decided_at")
            SELECT "id", 'delivered', "dispatched_at" FROM "domain_events" WHERE "dispatched_at" IS NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification_deliveries"`);
    await queryRunner.query(`DROP INDEX "domain_events_dispatched_at_idx"`);
  }
}
