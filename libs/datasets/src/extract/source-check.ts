import type { DataSource } from 'typeorm';
import type { DatasetView } from '../catalogue/catalogue.types';
import { ExtractFailure, type ExtractRequest } from './extract.types';

/**
 * Fails the extract at its first step, with the reason, when a dataset's source table or one of the columns
 * the approval needs does not exist, rather than halfway through writing files.
 */
export async function checkSources(
  dataSource: DataSource,
  request: ExtractRequest,
  datasets: DatasetView[],
): Promise<void> {
  const problems: string[] = [];
  for (const [index, dataset] of datasets.entries()) {
    const { schema, table, personIdColumn } = dataset.source;
    const rows = await dataSource.query<{ column_name: string }[]>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema, table],
    );
    if (rows.length === 0) {
      problems.push(`${dataset.code}: source table ${schema}.${table} does not exist`);
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
