import 'reflect-metadata';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { SYSTEM_ACTOR } from '@tre/audit';
import { CoreConfigModule, DatabaseModule, migrate } from '@tre/core';
import {
  DatasetCatalogueService,
  ExtractBuildModule,
  ExtractService,
  OptOutService,
  samplePopulation,
  seedDatasets,
  seedSources,
} from '@tre/datasets';

/**
 * The full extract job on seeded sources: 1,000,000 people (BENCH_EXTRACT_PEOPLE) across GP registrations,
 * hospital episodes and deaths, both opt-out lists applying, every dataset linked on the pseudonym. Runs on
 * its own database (`tre_bench_extract`, recreated each run). Prints source rows per second beside this
 * machine's raw HMAC-SHA256 rate, and peak memory.
 */
const PEOPLE = Number(process.env.BENCH_EXTRACT_PEOPLE ?? 1_000_000);

@Module({ imports: [CoreConfigModule, DatabaseModule, ExtractBuildModule] })
class BenchModule {}

async function recreateDatabase(): Promise<string> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tre_bench_extract WITH (FORCE)');
  await admin.end();
  const url = new URL('/tre_bench_extract', server).toString();
  await migrate(url);
  return url;
}

function hmacRate(): number {
  const key = Buffer.alloc(32, 1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i += 1)
    createHmac('sha256', key).update(`nhs_number\u00009990000${i}`).digest('hex');
  return 200_000 / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const databaseUrl = await recreateDatabase();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-extract-')),
    PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-bench-key-')), 'master.key'),
    // Quasi-identifiers are not approved below, so k-anonymity holds; the gate still scans every value.
    EXTRACT_MIN_K: '5',
  });
  const seeded = await seedSources(databaseUrl, { people: PEOPLE });
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  const custodian = randomUUID();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(
    `INSERT INTO users (id, issuer, subject, display_name, roles, last_seen_at) VALUES ($1, 'bench', 'bench', 'bench', '{data_custodian}', now())`,
    [custodian],
  );
  await db.end();
  const actor = { id: custodian, roles: ['data_custodian' as const] };
  const datasets = [];
  for (const input of seedDatasets())
    datasets.push(await app.get(DatasetCatalogueService).register(actor, input));
  const optedOut = samplePopulation({ people: PEOPLE }, 2_000).map((p) => p.nhsNumber);
  const optOuts = app.get(OptOutService);
  await optOuts.load(
    { id: SYSTEM_ACTOR.cli, roles: ['data_custodian'] },
    'national',
    `nhs_number\n${optedOut.slice(0, 1_500).join('\n')}\n`,
  );
  await optOuts.load(
    { id: SYSTEM_ACTOR.cli, roles: ['data_custodian'] },
    'type1',
    `nhs_number\n${optedOut.slice(1_500).join('\n')}\n`,
  );

  const approvedFields: Record<string, string[]> = {
    GP_REGISTRATIONS: ['nhs_number', 'practice_code', 'registration_date'],
    HES_APC: ['nhs_number', 'admission_date', 'diagnosis'],
    DEATHS: ['nhs_number', 'date_of_death', 'cause'],
  };
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const started = process.hrtime.bigint();
  await app.get(ExtractService).build({
    projectId: randomUUID(),
    approvalId: randomUUID(),
    approvalVersion: 1,
    datasets: datasets.map((d) => ({
      datasetId: d.id,
      code: d.code,
      fields: approvedFields[d.code] ?? ['nhs_number'],
      legalBasis: 's251',
    })),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  await app.close();
  process.stdout.write(`extract_source_rows: ${seeded.totalRows} rows\n`);
  process.stdout.write(`extract_seconds_${PEOPLE}_people: ${seconds.toFixed(2)} s\n`);
  process.stdout.write(`extract_throughput: ${Math.round(seeded.totalRows / seconds)} rows/s\n`);
  process.stdout.write(`hmac_sha256_raw_rate: ${Math.round(hmacRate())} hmacs/s\n`);
  process.stdout.write(`extract_peak_rss: ${Math.round(peakRss / 1024 / 1024)} MB\n`);
  process.stdout.write(`seed_seconds: ${((seeded.loadMs + seeded.indexMs) / 1000).toFixed(2)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
