import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditModule, AuditService, AuditVerifierService } from '@tre/audit';
import { CoreConfigModule, DatabaseModule, migrate } from '@tre/core';

/**
 * How fast the audit chain takes appends when writers contend for its lock, and how fast it verifies.
 * Runs on its own database (`tre_bench_audit`, recreated each run) on the configured Postgres server.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 5000);
const WRITERS = 10;

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

async function main(): Promise<void> {
  process.env.DATABASE_URL = await recreate(
    new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre'),
    'tre_bench_audit',
  );
  process.env.LOG_LEVEL = 'silent';
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const audit = app.get(AuditService);
  const dataSource = app.get<DataSource>(getDataSourceToken());

  let next = 0;
  const writer = async () => {
    while (next < EVENTS) {
      const n = next++;
      await dataSource.transaction((manager) =>
        audit.append(manager, {
          action: 'bench.appended',
          subjectType: 'bench',
          subjectId: String(n),
          actorId: 'system:bench',
          details: { n },
        }),
      );
    }
  };
  const appendStart = process.hrtime.bigint();
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const appendSeconds = Number(process.hrtime.bigint() - appendStart) / 1e9;

  const verifyStart = process.hrtime.bigint();
  const report = await app.get(AuditVerifierService).verify();
  const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
  if (!report.valid || report.count !== EVENTS)
    throw new Error(`chain did not verify: ${JSON.stringify(report)}`);

  process.stdout.write(
    `audit_append_throughput_${WRITERS}_writers: ${(EVENTS / appendSeconds).toFixed(0)} events/s\n`,
  );
  process.stdout.write(`audit_verify_throughput: ${(EVENTS / verifySeconds).toFixed(0)} events/s\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
