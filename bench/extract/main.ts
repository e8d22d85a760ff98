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
  DEFAULT_SEED,
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
 * its own database per people count (`tre_bench_extract_<people>`). Seeding a million people takes longer
 * than the extract, so the sources are kept between runs: a comment on the source schema, written only once
 * seeding finished, names the people count and seed; when it matches, only the service's own schemas are
 * recreated. BENCH_EXTRACT_RESEED=1 forces a fresh seed. Prints source rows per second beside this machine's
 * raw HMAC-SHA256 rate, and peak memory.
 */
const PEOPLE = Number(process.env.BENCH_EXTRACT_PEOPLE ?? 1_000_000);
const SEED = DEFAULT_SEED;
const MARKER = `tre bench sources: people=${PEOPLE} seed=${SEED}`;

@Module({ imports: [CoreConfigModule, DatabaseModule, ExtractBuildModule] })
class BenchModule {}

interface Sources {
  readonly databaseUrl: string;
  readonly totalRows: number;
  /** Null when the sources were reused. */
  readonly seedSeconds: number | null;
}

async function prepareDatabase(): Promise<Sources> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tre');
  const name = `tre_bench_extract_${PEOPLE}`;
  const databaseUrl = new URL(`/${name}`, server).toString();
  const admin = new Client({ connectionString: new URL('/postgres', server).toString() });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  const reused = exists && process.env.BENCH_EXTRACT_RESEED !== '1' ? await seededRows(databaseUrl) : null;
  if (reused === null) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  await admin.end();
  if (reused !== null) {
    await resetServiceSchemas(databaseUrl);
    await migrate(databaseUrl);
    return { databaseUrl, totalRows: reused, seedSeconds: null };
  }
  await migrate(databaseUrl);
  const seeded = await seedSources(databaseUrl, { people: PEOPLE, seed: SEED });
  const { totalRows } = seeded;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`COMMENT ON SCHEMA source IS '${MARKER} rows=${totalRows}'`);
  await db.end();
  return { databaseUrl, totalRows, seedSeconds: (seeded.loadMs + seeded.indexMs) / 1000 };
}

/** The row count of sources seeded to completion with this people count and seed, or null. */
async function seededRows(databaseUrl: string): Promise<number | null> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ marker: string | null }>(
      `SELECT obj_description(oid, 'pg_namespace') AS marker FROM pg_namespace WHERE nspname = 'source'`,
    );
    const match = /^(.*) rows=([0-9]+)$/.exec(rows[0]?.marker ?? '');
    return match && match[1] === MARKER ? Number(match[2]) : null;
  } finally {
    await db.end();
  }
}

/** Drops everything the service's migrations create (public, optouts), keeping the seeded source schema. */
async function resetServiceSchemas(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('DROP SCHEMA IF EXISTS public, optouts CASCADE');
  await db.query('CREATE SCHEMA public');
  await db.end();
}

function hmacRate(): number {
  const key = Buffer.alloc(32, 1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i += 1)
    createHmac('sha256', key).update(`nhs_number\u00009990000${i}`).digest('hex');
  return 200_000 / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const { databaseUrl, totalRows, seedSeconds } = await prepareDatabase();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-extract-')),
    PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-bench-key-')), 'master.key'),
    // Quasi-identifiers are not approved below, so k-anonymity holds; the gate still scans every value.
    EXTRACT_MIN_K: '5',
  });
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
  const cpuBefore = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await app.close();
  process.stdout.write(`extract_source_rows: ${totalRows} rows\n`);
  process.stdout.write(`extract_seconds_${PEOPLE}_people: ${seconds.toFixed(2)} s\n`);
  process.stdout.write(`extract_throughput: ${Math.round(totalRows / seconds)} rows/s\n`);
  // The node process's own CPU time: steadier than wall time on a shared machine, and excludes Postgres.
  process.stdout.write(`extract_node_cpu: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s\n`);
  process.stdout.write(`hmac_sha256_raw_rate: ${Math.round(hmacRate())} hmacs/s\n`);
  process.stdout.write(`extract_peak_rss: ${Math.round(peakRss / 1024 / 1024)} MB\n`);
  if (seedSeconds !== null) process.stdout.write(`seed_seconds: ${seedSeconds.toFixed(2)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
