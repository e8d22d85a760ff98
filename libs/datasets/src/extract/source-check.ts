import type { Client } from 'pg';
import type { DatasetView } from '../catalogue/catalogue.types';
import { ExtractFailure, type ExtractRequest } from './extract.types';

/**
 * Fails the extract at its first step, with the reason, when a dataset's source is outside the source schemas,
 * or its table or one of the columns the approval needs cannot be seen, rather than halfway through writing
 * files. It asks through the confined source reader, so a table that reader may not read counts as missing.
 */
export async function checkSources(
  reader: Client,
  request: ExtractRequest,
  datasets: DatasetView[],
  sourceSchemas: readonly string[],
): Promise<void> {
  const problems: string[] = [];
  for (const [index, dataset] of datasets.entries()) {
    const { schema, table, personIdColumn } = dataset.source;
    // The catalogue refuses these at registration; a row that got in some other way is refused here too.
    if (!sourceSchemas.includes(schema)) {
      problems.push(
        `${dataset.code}: ${JSON.stringify(schema)} is not a source schema (allowed: ${sourceSchemas.join(', ')})`,
      );
      continue;
    }
    const { rows } = await reader.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    if (rows.length === 0) {
      problems.push(`${dataset.code}: source table ${schema}.${table} does not exist or cannot be read`);
      continue;
    }
    const present = new Set(rows.map((row) => row.column_name));
    const needed = [
      personIdColumn,
      ...request.datasets[index].fields.filter((field) =>
        dataset.fields.some((f) => f.name === field && f.releaseForm !== 'drop'),
      ),
    ];
    const missing = [...new Set(needed)].filter((column) => !present.has(column));
    if (missing.length)
      problems.push(`${dataset.code}: ${schema}.${table} has no column(s) ${missing.join(', ')}`);
  }
  if (problems.length) throw new ExtractFailure('check sources', problems.join('; '));
}
