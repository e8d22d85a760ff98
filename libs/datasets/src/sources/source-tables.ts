import { isSqlIdentifier } from '../catalogue/catalogue-rules';
import type { SeedPerson } from './synthetic-population';

/**
 * The three seeded source tables: their DDL, their indexes and their rows in COPY text format. Indexes and
 * the primary key are built after the load, which is several times faster than maintaining them row by row.
 */

export const SOURCE_TABLES = ['gp_registrations', 'hes_apc', 'deaths'] as const;
export type SourceTable = (typeof SOURCE_TABLES)[number];

export const DEFAULT_SOURCE_SCHEMA = 'source';

export function quoteSchema(schema: string): string {
  if (!isSqlIdentifier(schema)) {
    throw new RangeError(`schema must be a lower-case SQL identifier of at most 63 characters`);
  }
  return `"${schema}"`;
}

/** Column lists in COPY order; NHS numbers are text because sources hold them as recorded (spaces, typos). */
export const SOURCE_COLUMNS: Readonly<Record<SourceTable, string>> = {
  gp_registrations: `nhs_number text, full_name text NOT NULL, date_of_birth date NOT NULL, postcode text,
    sex text NOT NULL, practice_code text NOT NULL, registration_date date NOT NULL`,
  hes_apc: `episode_id bigint NOT NULL, nhs_number text, admission_date date NOT NULL,
    diagnosis text NOT NULL, full_name text, postcode text`,
  deaths: `nhs_number text, date_of_death date NOT NULL, cause text NOT NULL, postcode text`,
};

export function createTableSql(schema: string, table: SourceTable): string {
  return `CREATE TABLE ${quoteSchema(schema)}."${table}" (${SOURCE_COLUMNS[table]})`;
}

export function copySql(schema: string, table: SourceTable): string {
  const names = SOURCE_COLUMNS[table]
    .split(',')
    .map((column) => column.trim().split(/\s+/)[0])
    .join(', ');
  return `COPY ${quoteSchema(schema)}."${table}" (${names}) FROM STDIN`;
}

export function indexSql(schema: string, table: SourceTable): string[] {
  const target = `${quoteSchema(schema)}."${table}"`;
  return [
    ...(table === 'hes_apc'
      ? [`ALTER TABLE ${target} ADD CONSTRAINT hes_apc_pkey PRIMARY KEY (episode_id)`]
      : []),
    `CREATE INDEX ${table}_nhs_number_idx ON ${target} (nhs_number)`,
    `ANALYZE ${target}`,
  ];
}

/** COPY text format: tab-separated, \N for null. Generated values hold no tab, newline or backslash. */
const cell = (value: string | null): string => (value === null ? '\\N' : value);

/** Appends one person's rows to the three per-table buffers. */
export function appendCopyRows(person: SeedPerson, buffers: Record<SourceTable, string[]>): void {
  buffers.gp_registrations.push(
    `${cell(person.gpNhsNumber)}\t${person.fullName}\t${person.dateOfBirth}\t${person.postcode}\t` +
      `${person.sex}\t${person.practiceCode}\t${person.registrationDate}\n`,
  );
  for (const episode of person.episodes) {
    buffers.hes_apc.push(
      `${episode.episodeId}\t${cell(episode.nhsNumber)}\t${episode.admissionDate}\t${episode.diagnosis}\t` +
        `${cell(episode.fullName)}\t${episode.postcode}\n`,
    );
  }
  if (person.death) {
    const death = person.death;
    buffers.deaths.push(
      `${cell(death.nhsNumber)}\t${death.dateOfDeath}\t${death.cause}\t${death.postcode}\n`,
    );
  }
}

/**
 * A SQL expression true when `column` (spaces and hyphens removed) is ten digits passing modulus 11: the same
 * rule as safe-data's normaliseNhsNumber, so counts taken in the database agree with the pipeline's.
 */
export function validNhsNumberSql(column: string): string {
  const digits = `regexp_replace(${column}, '[\\s-]', '', 'g')`;
  const weighted = Array.from({ length: 9 }, (_, i) => `substr(${digits}, ${i + 1}, 1)::int * ${10 - i}`);
  const check = `(11 - (${weighted.join(' + ')}) % 11)`;
  return (
    `(${digits} ~ '^[0-9]{10}$' AND CASE WHEN ${digits} ~ '^[0-9]{10}$' THEN ` +
    `${check} <> 10 AND ${check} % 11 = substr(${digits}, 10, 1)::int ELSE false END)`
  );
}
