import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
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
  Pseudonymiser,
  samplePopulation,
  seedDatasets,
  seedSources,
} from '@tre/datasets';

/**
 * The full extract job on seeded sources across GP registrations, hospital episodes and deaths, both opt-out
 * lists applying, every dataset linked on the pseudonym: for 250,000 and 1,000,000 people (BENCH_EXTRACT_PEOPLE,
 * comma-separated), each in its own process so peak memory can be compared across sizes (it should not grow
 * with them). Prints source rows per second and peak RSS and heap per size, beside this machine's raw
 * HMAC-SHA256 rate (node:crypto, one createHmac per message) and the rate of the pseudonymiser's own HMAC.
 *
 * Each size has its own database (`tre_bench_extract_<people>`). Seeding a million people takes longer than
 * the extract, so the sources are kept between runs: a comment on the source schema, written only once
 * seeding finished, names the people count and seed; when it matches, only the service's own schemas are
 * recreated. BENCH_EXTRACT_RESEED=1 forces a fresh seed.
 */
const SIZES = (process.env.BENCH_EXTRACT_PEOPLE ?? '250000,1000000').split(',').map(Number);
const PEOPLE = SIZES[0];
const QUASI = process.env.BENCH_EXTRACT_QUASI === '1';
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

/** NHS-number pseudonyms per second as the extract computes them (Pseudonymiser.nhsNumberHexInto). */
function pseudonymRate(): number {
  const pseudonymiser = new Pseudonymiser(Buffer.alloc(32, 1));
  const digits = Buffer.from('9990000018', 'latin1');
  const out = Buffer.alloc(64);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 1_000_000; i += 1) {
    digits[9] = 0x30 + (i % 10);
    pseudonymiser.nhsNumberHexInto(digits, 0, out, 0);
  }
  return 1_000_000 / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Runs each size in a child process of its own, then prints the machine's HMAC rates. */
function runSizes(): void {
  for (const people of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_EXTRACT_PEOPLE: String(people) },
      stdio: 'inherit',
    });
    if (child.status !== 0) throw new Error(`the ${people}-people run failed (exit ${child.status})`);
  }
  process.stdout.write(`hmac_sha256_raw_rate: ${Math.round(hmacRate())} hmacs/s\n`);
  process.stdout.write(`pseudonym_rate: ${Math.round(pseudonymRate())} pseudonyms/s\n`);
}

async function main(): Promise<void> {
  const { databaseUrl, totalRows, seedSeconds } = await prepareDatabase();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    EXTRACT_STORE_DIR: mkdtempSync(join(tmpdir(), 'tre-bench-extract-')),
    PSEUDONYMISATION_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'tre-bench-key-')), 'master.key'),
    // Quasi-identifiers are not approved below, so k-anonymity holds; the gate still scans every value.
    // BENCH_EXTRACT_QUASI=1 approves some (k = 1, so the gate passes): the cost of counting groups of people.
    EXTRACT_MIN_K: QUASI ? '1' : '5',
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
    GP_REGISTRATIONS: [
      'nhs_number',
      'practice_code',
      'registration_date',
      ...(QUASI ? ['sex', 'date_of_birth'] : []),
    ],
    HES_APC: ['nhs_number', 'admission_date', 'diagnosis'],
    DEATHS: ['nhs_number', 'date_of_death', 'cause'],
  };
  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  }, 50);
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
  const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
  const at = `${PEOPLE}_people${QUASI ? '_quasi' : ''}`;
  process.stdout.write(`extract_source_rows_${at}: ${totalRows} rows\n`);
  process.stdout.write(`extract_seconds_${at}: ${seconds.toFixed(2)} s\n`);
  process.stdout.write(`extract_throughput_${at}: ${Math.round(totalRows / seconds)} rows/s\n`);
  // The node process's own CPU time: steadier than wall time on a shared machine, and excludes Postgres.
  process.stdout.write(`extract_node_cpu_${at}: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s\n`);
  process.stdout.write(`extract_peak_rss_${at}: ${mb(peakRss)} MB\n`);
  process.stdout.write(`extract_peak_heap_${at}: ${mb(peakHeap)} MB\n`);
  if (seedSeconds !== null) process.stdout.write(`seed_seconds_${at}: ${seedSeconds.toFixed(2)} s\n`);
}

(SIZES.length > 1 ? Promise.resolve().then(runSizes) : main()).catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
