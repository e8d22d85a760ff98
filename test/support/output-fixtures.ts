import { RECORD_SCHEMA, RECORD_VERSION, type TableRecord } from '@tre/sdc';
import { application, GP_DATASET, HES_DATASET, type Caller } from './project-fixtures';

/** Registers the datasets, has `lead` apply and two DAC members approve: an approved project's id. */
export async function approvedProject(
  lead: Caller,
  custodian: Caller,
  dac: readonly Caller[],
  overrides: Record<string, unknown> = {},
): Promise<string> {
  for (const dataset of [GP_DATASET, HES_DATASET]) {
    const registered = await custodian.post('/datasets', dataset);
    if (registered.status !== 201 && registered.status !== 409)
      throw new Error(`dataset: ${registered.status}`);
  }
  const created = await lead.post('/projects', application(overrides));
  if (created.status !== 201) throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await lead.post(`/projects/${id}/submit`);
  for (const reviewer of dac)
    await reviewer.post(`/projects/${id}/votes`, { decision: 'approve', comment: 'Fine.' });
  return id;
}

/**
 * A frequency table's record as `tre sdc table --write-record` writes it: `counts` are the true cell counts,
 * `suppressed` the cells published as null.
 */
export function countRecord(
  rowVar: string,
  colVar: string,
  rows: string[],
  cols: string[],
  counts: number[][],
  suppressed: [number, number][] = [],
  id?: string,
): TableRecord {
  const hidden = new Set(suppressed.map(([r, c]) => `${r},${c}`));
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    type: 'table',
    ...(id === undefined ? {} : { id }),
    table: {
      rowVars: [rowVar],
      colVars: [colVar],
      valueVar: null,
      agg: 'count',
      rows,
      cols,
      margins: false,
      values: counts.map((row, r) => row.map((n, c) => (hidden.has(`${r},${c}`) ? null : n))),
      cells: counts.map((row) => row.map((n) => ({ records: n }))),
    },
  };
}

/** The table a record describes, as a CSV file (suppressed cells empty), as pandas writes a crosstab. */
export function tableCsv(record: TableRecord): string {
  const t = record.table;
  const lines = [[t.rowVars.join('/'), ...t.cols.map(String)].join(',')];
  t.rows.forEach((row, r) =>
    lines.push([String(row), ...t.values[r].map((v) => (v === null ? '' : String(v)))].join(',')),
  );
  return `${lines.join('\n')}\n`;
}
