import 'reflect-metadata';
import { fork } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AuditModule, AuditVerifierService, GENESIS_HASH, hashEvent } from '@tre/audit';
import { CoreConfigModule, DatabaseModule, migrate } from '@tre/core';

/**
 * How long the audit chain takes to verify over a year's trail (1,000,000 events by default,
 * BENCH_AUDIT_VERIFY_EVENTS to change), and the verifier's peak memory: the service behind `GET /audit/verify` and
 * the worker's scheduled check. The events are written with COPY into a database of its own
 * (`tre_bench_audit_verify`, recreated each run), hashed exactly as AuditService chains them. The verification
 * runs in a child process, so its peak resident set is the verifier's alone, not the seeding's.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_VERIFY_EVENTS ?? 1_000_000);
const DATABASE = 'tre_bench_audit_verify';
const ACTIONS = [
  'project.submitted',
  'project.approved',
  'output.requested',
  'output.released',
  'user.signed-in',
];

@Module({ imports: [CoreConfigModule, DatabaseModule, AuditModule] })
class BenchModule {}

/** COPY text lines of a valid chain, 1,000 at a time, one event every ~31 s over a year. */
function* chainLines(): Generator<string> {
  const start = Date.parse('2025-12-01T00:00:00.000Z');
  let prevHash = GENESIS_HASH;
  let lines: string[] = [];
  for (let seq = 1; seq <= EVENTS; seq++) {
    const event = {
      seq,
      occurredAt: new Date(start + seq * 31_000),
      actorId: `user:${seq % 997}`,
      action: ACTIONS[seq % ACTIONS.length],
      subjectType: 'project',
      subjectId: `p-${seq % 1000}`,
      details: { n: seq, reason: 'bench' },
      requestId: `req-${seq}`,
      prevHash,
    };
    const hash = hashEvent(event);
    lines.push(
      [
        seq,
        event.occurredAt.toISOString(),
        event.actorId,
        event.action,
        event.subjectType,
        event.subjectId,
        JSON.stringify(event.details),
        event.requestId,
        prevHash,
        hash,
      ].join('\t'),
    );
    prevHash = hash;
    if (lines.length === 1000) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

async function seed(serverUrl: URL): Promise<string> {
  const admin = new Client({ connectionString: new URL('/postgres', serverUrl).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
  const url = new URL(`/${DATABASE}`, serverUrl).toString();
  await migrate(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = process.hrtime.bigint();
  await pipeline(
    Readable.from(chainLines()),
    client.query(
      copyFrom(
        `COPY audit_events (seq, occurred_at, actor_id, action, subject_type, subject_id, details, request_id,
           prev_hash, hash) FROM STDIN`,
      ),
    ),
  );
  await client.query('ANALYZE audit_events');
  await client.end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`audit_verify_seed_events: ${EVENTS} events in ${seconds.toFixed(1)} s\n`);
  return url;
}

/** The child: verify once, report time and the peak of resident set and heap, sampled every 10 ms. */
async function verify(): Promise<void> {
  process.env.LOG_LEVEL = 'silent';
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const verifier = app.get(AuditVerifierService);
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 10);
  const started = process.hrtime.bigint();
  const report = await verifier.verify();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  if (!report.valid || report.count !== EVENTS)
    throw new Error(`chain did not verify: ${JSON.stringify(report)}`);
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(`audit_verify_seconds_${EVENTS}: ${seconds.toFixed(1)} s\n`);
  process.stdout.write(`audit_verify_throughput: ${(EVENTS / seconds).toFixed(0)} events/s\n`);
  process.stdout.write(`audit_verify_peak_rss: ${mib(process.resourceUsage().maxRSS * 1024)} MiB\n`);
  process.stdout.write(`audit_verify_heap_before: ${mib(before.heapUsed)} MiB\n`);
  process.stdout.write(`audit_verify_peak_heap: ${mib(peakHeap)} MiB\n`);
  await app.close();
}

async function main(): Promise<void> {
  if (process.argv[2] === 'verify') return verify();
  const url = await seed(new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre'));
  const child = fork(__filename, ['verify'], { env: { ...process.env, DATABASE_URL: url } });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`verification failed (exit ${code})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
