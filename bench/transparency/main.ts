import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  AuditModule,
  AuditService,
  TransparencyHeadsService,
  TransparencyTreeService,
  verifyConsistency,
  verifyInclusion,
} from '@tre/audit';
import { CoreConfigModule, DatabaseModule, migrate } from '@tre/core';

/**
 * The transparency log over a large audit trail: the cost per event of extending the stored tree (in bulk,
 * as the worker catches up, and a few at a time, as in service), and of a consistency and an inclusion proof
 * read from the stored tree. Runs on its own database (`tre_bench_transparency`, recreated each run).
 */
const EVENTS = Number(process.env.BENCH_TRANSPARENCY_EVENTS ?? 1_000_000);
const INCREMENTAL = 1_000;
const PROOFS = 200;

@Module({ imports: [CoreConfigModule, DatabaseModule, AuditModule] })
class BenchModule {}

async function recreate(serverUrl: URL, name: string): Promise<string> {
  const admin = new Client({ connectionString: new URL('/postgres', serverUrl).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  const url = new URL(`/${name}`, serverUrl).toString();
  await migrate(url);
  return url;
}

/** Events written straight into the table: the tree hashes what is there, so a real chain is not needed. */
async function fill(url: string, count: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO audit_events
       (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id, prev_hash, hash)
     SELECT s, now(), 'system:bench', 'bench.appended', 'bench', s::text, jsonb_build_object('n', s), NULL,
            encode(sha256(((s - 1)::text)::bytea), 'hex'), encode(sha256((s::text)::bytea), 'hex')
       FROM generate_series(1, $1::bigint) AS s`,
    [count],
  );
  await client.end();
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const randomInt = (low: number, high: number): number => low + Math.floor(Math.random() * (high - low + 1));
const print = (name: string, value: number, unit: string): boolean =>
  process.stdout.write(`${name}: ${value.toFixed(3)} ${unit}\n`);

async function main(): Promise<void> {
  const url = await recreate(
    new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre'),
    'tre_bench_transparency',
  );
  Object.assign(process.env, {
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    TRANSPARENCY_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-bench-')), 'transparency.pem'),
  });
  await fill(url, EVENTS);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const tree = app.get(TransparencyTreeService);

  let start = process.hrtime.bigint();
  const bulk = await tree.sync();
  print('transparency_append_bulk_per_event', ms(start) / EVENTS, 'ms');
  if (bulk.size !== EVENTS) throw new Error(`tree holds ${bulk.size} events, expected ${EVENTS}`);

  // In service: a handful of real appends between checkpoints, each checkpoint extending the tree.
  const audit = app.get(AuditService);
  let syncMs = 0;
  for (let i = 0; i < INCREMENTAL; i += 10) {
    for (let j = 0; j < 10; j += 1) {
      await audit.appendAlone({ action: 'bench.more', subjectType: 'bench', actorId: 'system:bench' });
    }
    start = process.hrtime.bigint();
    await tree.sync();
    syncMs += ms(start);
  }
  print('transparency_append_incremental_per_event', syncMs / INCREMENTAL, 'ms');
  const size = EVENTS + INCREMENTAL;
  const root = await tree.rootAt(size);

  let total = 0;
  for (let i = 0; i < PROOFS; i += 1) {
    const first = randomInt(1, size - 1);
    start = process.hrtime.bigint();
    const proof = await tree.consistencyProof(first, size);
    total += ms(start);
    if (!verifyConsistency(first, size, await tree.rootAt(first), root, proof)) throw new Error('bad proof');
  }
  print('transparency_consistency_proof', total / PROOFS, 'ms');

  total = 0;
  for (let i = 0; i < PROOFS; i += 1) {
    const index = randomInt(0, size - 1);
    start = process.hrtime.bigint();
    const { leafHash, proof } = await tree.inclusionProof(index, size);
    total += ms(start);
    if (!verifyInclusion(index, size, leafHash, proof, root)) throw new Error('bad proof');
  }
  print('transparency_inclusion_proof', total / PROOFS, 'ms');

  start = process.hrtime.bigint();
  await app.get(TransparencyHeadsService).checkpoint();
  print('transparency_checkpoint_signed', ms(start), 'ms');
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
