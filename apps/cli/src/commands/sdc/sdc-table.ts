import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  type Aggregation,
  AGGREGATIONS,
  analyseGrid,
  parseRounding,
  recordFromTable,
  type Rounding,
  toGrid,
  type TableRecord,
} from '@tre/sdc';
import { CliUsageError } from '../../cli-errors';
import { loadRules, readCsvTable, splitVariables } from './sdc-io';
import { printResult } from './sdc-output';

interface TableOptions {
  data: string;
  rows: string;
  cols: string;
  values?: string;
  agg?: string;
  margins?: boolean;
  suppress?: boolean;
  round?: string;
  rules?: string;
  json?: boolean;
  exitCode?: boolean;
  writeRecord?: string;
  writeTable?: string;
}

/** The SHA-256 of the file the table is built from: what the record names as its source. */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * The published table as a CSV file, in the shape the airlock reads (`published-table.ts`): one header row
 * per column variable, the row variables leading each row, suppressed cells empty.
 */
export function publishedCsv(record: TableRecord): string {
  const t = record.table;
  const lead = t.rowVars.length;
  const headers = Math.max(1, t.colVars.length);
  const lines: string[][] = [];
  for (let h = 0; h < headers; h++)
    lines.push([
      ...t.rowVars.map((v) => (h === headers - 1 ? v : '')),
      ...t.cols.map((label) =>
        Array.isArray(label) ? (headers > 1 ? label[h] : label.join(' / ')) : String(label),
      ),
    ]);
  t.rows.forEach((label, r) =>
    lines.push([
      ...(Array.isArray(label) ? (lead > 1 ? label : [label.join(' / ')]) : [String(label)]),
      ...t.values[r].map((v) => (v === null ? '' : String(v))),
    ]),
  );
  return `${lines.map((line) => line.map(csvField).join(',')).join('\n')}\n`;
}

function aggregationOf(options: TableOptions): Aggregation {
  const agg = options.agg ?? (options.values === undefined ? 'count' : 'mean');
  if (!(AGGREGATIONS as readonly string[]).includes(agg)) {
    throw new CliUsageError(`--agg must be one of ${AGGREGATIONS.join(', ')}, not ${JSON.stringify(agg)}`);
  }
  if (agg !== 'count' && options.values === undefined) throw new CliUsageError(`--agg ${agg} needs --values`);
  return agg as Aggregation;
}

function roundingOf(text: string | undefined): Rounding | undefined {
  if (text === undefined) return undefined;
  const rounding = parseRounding(text);
  if (!rounding)
    throw new CliUsageError(
      `--round must be a whole base such as 5, or midpoint6, not ${JSON.stringify(text)}`,
    );
  return rounding;
}

async function runTable(options: TableOptions): Promise<void> {
  const agg = aggregationOf(options);
  const round = roundingOf(options.round);
  const rules = await loadRules(options.rules);
  const table = await readCsvTable(options.data, (header) => ({
    rowVars: splitVariables(options.rows, header),
    colVars: splitVariables(options.cols, header),
    valueVar: options.values,
    agg,
  }));
  const notes =
    table.droppedRecords > 0
      ? [`${table.droppedRecords} record(s) with a missing row or column label were left out, as pandas does`]
      : [];
  const grid = toGrid(table, options.margins === true);
  const result = analyseGrid(grid, rules, { suppress: options.suppress === true, round, notes });
  if (options.writeRecord !== undefined || options.writeTable !== undefined) {
    // The record names the exact bytes it was built from, so the airlock can rebuild it from the extract.
    const record: TableRecord = {
      ...recordFromTable(grid, result),
      source: { sha256: await sha256OfFile(options.data), file: basename(options.data) },
    };
    if (options.writeTable !== undefined) {
      record.file = basename(options.writeTable);
      await writeFile(options.writeTable, publishedCsv(record));
    }
    if (options.writeRecord !== undefined)
      await writeFile(options.writeRecord, `${JSON.stringify(record)}\n`);
  }
  printResult(result, options.json === true, options.exitCode === true);
}

export function registerSdcTable(sdc: Command): void {
  sdc
    .command('table')
    .description('Build a frequency or magnitude table from microdata and check it (optionally protect it)')
    .requiredOption('--data <file>', 'CSV file with a header row')
    .requiredOption('--rows <vars>', 'row variable(s), comma-separated')
    .requiredOption('--cols <vars>', 'column variable(s), comma-separated')
    .option('--values <var>', 'numeric column to aggregate (magnitude table)')
    .option('--agg <fn>', `aggregation: ${AGGREGATIONS.join('|')} (default count, or mean with --values)`)
    .option('--margins', 'add row and column totals labelled All')
    .option('--suppress', 'suppress failing cells, add secondary suppression and audit it')
    .option('--round <base|midpoint6>', 'round published values after suppression')
    .option('--rules <file>', "the TRE's rule set (JSON) overriding the defaults")
    .option('--json', 'print one JSON object')
    .option('--exit-code', 'exit 1 when the status is fail')
    .option(
      '--write-record <file>',
      'also write the disclosure-control record of the published table (with the SHA-256 of --data)',
    )
    .option('--write-table <file>', 'also write the published table as CSV (suppressed cells empty)')
    .action(runTable);
}
