import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparency log over the audit trail. `transparency_nodes` holds the complete subtrees of the RFC 9162
 * Merkle tree whose leaves are the audit events (leaf index = seq - 1): derived data the worker rebuilds from
 * audit_events, so any proof reads O(log n) rows. `transparency_heads` holds the signed tree heads, append
 * only like the audit trail; `transparency_keys` the public keys that signed them.
 */
export class TransparencyLog1795290000003 implements MigrationInterface {
  name = 'TransparencyLog1795290000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "transparency_nodes" (
                "level" smallint NOT NULL,
                "idx" bigint NOT NULL,
                "hash" bytea NOT NULL,
                CONSTRAINT "transparency_nodes_pkey" PRIMARY KEY ("level", "idx")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "transparency_keys" (
                "key_id" char(64) NOT NULL,
                "public_key" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "transparency_keys_pkey" PRIMARY KEY ("key_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "transparency_heads" (
                "id" bigserial NOT NULL,
                "tree_size" bigint NOT NULL CHECK ("tree_size" >= 0),
                "root_hash" char(64) NOT NULL,
                "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "key_id" char(64) NOT NULL REFERENCES "transparency_keys" ("key_id"),
                "signature" text NOT NULL,
                CONSTRAINT "transparency_heads_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE FUNCTION transparency_heads_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'transparency_heads is append-only: % is refused', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER transparency_heads_append_only BEFORE UPDATE OR DELETE ON "transparency_heads"
                FOR EACH ROW EXECUTE FUNCTION transparency_heads_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER transparency_heads_no_truncate BEFORE TRUNCATE ON "transparency_heads"
                FOR EACH STATEMENT EXECUTE FUNCTION transparency_heads_refuse_change()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "transparency_heads"`);
    await queryRunner.query(`DROP FUNCTION transparency_heads_refuse_change()`);
    await queryRunner.query(`DROP TABLE "transparency_keys"`);
    await queryRunner.query(`DROP TABLE "transparency_nodes"`);
  }
}
