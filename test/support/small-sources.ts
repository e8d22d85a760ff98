import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createRng, makeTestNhsNumber, type ExtractRequest } from '@tre/datasets';
import type { Caller } from './project-fixtures';

/** Ten valid, distinct test NHS numbers: the people of small hand-made sources. */
export const PEOPLE = ((rng) => Array.from({ length: 10 }, () => makeTestNhsNumber(rng)))(createRng(77));

/** A hand-made source table: `rows` are [person index, ...quasi-identifier values]. */
export interface SmallSource {
  readonly code: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly [number, ...string[]][];
}

/** Creates each table in schema `source` and registers it as a dataset whose columns are quasi-identifiers. */
export async function createSmallSources(
  databaseUrl: string,
  custodian: Caller,
  sources: readonly SmallSource[],
): Promise<Map<string, string>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const ids = new Map<string, string>();
  try {
    await db.query('CREATE SCHEMA IF NOT EXISTS source');
    for (const source of sources) {
      await db.query(
        `CREATE TABLE source.${source.table} (row_id serial PRIMARY KEY, nhs_number text, ${source.columns
          .map((c) => `${c} text`)
          .join(', ')})`,
      );
      for (const [person, ...values] of source.rows) {
        await db.query(
          `INSERT INTO source.${source.table} (nhs_number, ${source.columns.join(', ')}) VALUES ($1, ${values
            .map((_, i) => `$${i + 2}`)
            .join(', ')})`,
          [PEOPLE[person], ...values],
        );
      }
      const response = await custodian.post('/datasets', {
        code: source.code,
        title: source.code,
        source: { table: source.table, personIdColumn: 'nhs_number' },
        fields: [
          {
            name: 'nhs_number',
            type: 'string',
            classification: 'direct_identifier',
            releaseForm: 'pseudonymise',
          },
          ...source.columns.map((name) => ({
            name,
            type: 'code',
            classification: 'quasi_identifier',
            releaseForm: 'keep',
          })),
        ],
      });
      if (response.status !== 201) throw new Error(`registering ${source.code}: ${response.text}`);
      ids.set(source.code, response.body.id as string);
    }
  } finally {
    await db.end();
  }
  return ids;
}

/** An extract request over these sources, every field approved, under consent (no opt-out list applies). */
export function requestFor(ids: Map<string, string>, sources: readonly SmallSource[]): ExtractRequest {
  return {
    projectId: randomUUID(),
    approvalId: randomUUID(),
    approvalVersion: 1,
    datasets: sources.map((source) => ({
      datasetId: ids.get(source.code)!,
      code: source.code,
      fields: ['nhs_number', ...source.columns],
      legalBasis: 'consent',
    })),
  };
}
