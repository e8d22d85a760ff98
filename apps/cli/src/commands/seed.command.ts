import type { Command } from 'commander';
import { loadConfig } from '@tre/core';
import {
  DEFAULT_SEED,
  DEFAULT_SOURCE_SCHEMA,
  isSqlIdentifier,
  seedSources,
  SourcesNotEmptyError,
  type SeedReport,
} from '@tre/datasets';
import { CliUsageError } from '../cli-errors';

export interface SeedFlags {
  readonly people?: string;
  readonly seed?: string;
  readonly schema?: string;
  readonly truncate?: boolean;
}

const MAX_PEOPLE = 50_000_000;

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliUsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** The seed command's work, callable from tests: checks the flags, seeds, and prints counts only. */
export async function runSeed(
  flags: SeedFlags,
  databaseUrl: string,
  print: (line: string) => void,
): Promise<SeedReport> {
  if (flags.people === undefined) throw new CliUsageError('--people is required');
  const people = wholeNumber('--people', flags.people, 1, MAX_PEOPLE);
  const seed = flags.seed === undefined ? DEFAULT_SEED : wholeNumber('--seed', flags.seed, 0, 2 ** 32 - 1);
  const schema = flags.schema ?? DEFAULT_SOURCE_SCHEMA;
  if (!isSqlIdentifier(schema)) throw new CliUsageError('--schema must be a lower-case SQL identifier');
  let report: SeedReport;
  try {
    report = await seedSources(databaseUrl, { people, seed, schema, truncate: flags.truncate ?? false });
  } catch (error: unknown) {
    if (error instanceof SourcesNotEmptyError) throw new CliUsageError(error.message);
    throw error;
  }
  const seconds = (report.loadMs + report.indexMs) / 1000;
  print(
    `seeded ${report.people} people (seed ${report.seed}) into schema ${report.schema}: ` +
      Object.entries(report.rows)
        .map(([table, rows]) => `${table} ${rows}`)
        .join(', '),
  );
  print(
    `${report.totalRows} rows in ${seconds.toFixed(1)} s (load ${report.loadMs} ms, indexes ${report.indexMs} ms): ` +
      `${Math.round(report.people / seconds)} people/s, ${Math.round(report.totalRows / seconds)} rows/s`,
  );
  return report;
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description(
      'write synthetic linked sources (GP registrations, hospital episodes, deaths) with test-range NHS numbers',
    )
    .option('--people <n>', 'how many people (everyone is GP-registered)')
    .option('--seed <s>', 'seed of the generator: the same seed gives the same people', String(DEFAULT_SEED))
    .option('--schema <name>', 'schema of the source tables', DEFAULT_SOURCE_SCHEMA)
    .option('--truncate', 'replace the tables if they already hold rows')
    .action(async (flags: SeedFlags) => {
      await runSeed(flags, loadConfig().databaseUrl, (line) => process.stdout.write(`${line}\n`));
    });
}
