import type { Command } from 'commander';
import { analyseGrid, countTableFromRecords, type Label, labelText, toGrid } from '@tre/sdc';
import { CliUsageError } from '../../cli-errors';
import { asUsageError, loadRules, readCsvRecords } from './sdc-io';
import { printResult } from './sdc-output';

interface ProtectOptions {
  table: string;
  primary?: string;
  rules?: string;
  json?: boolean;
  exitCode?: boolean;
}

function indexOf(part: string, labels: Label[], axis: string): number {
  if (/^\d+$/.test(part) && Number(part) < labels.length) return Number(part);
  const byLabel = labels.findIndex((label) => labelText(label) === part);
  if (byLabel < 0)
    throw new CliUsageError(
      `--primary: no ${axis} ${JSON.stringify(part)} (0-${labels.length - 1} or a label)`,
    );
  return byLabel;
}

/** `ROW:COL,...` with zero-based indices (margins last) or labels; indices win when both could apply. */
export function parsePrimary(text: string, rows: Label[], cols: Label[]): [number, number][] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      if (colon < 0) throw new CliUsageError(`--primary: ${JSON.stringify(part)} is not ROW:COL`);
      return [
        indexOf(part.slice(0, colon).trim(), rows, 'row'),
        indexOf(part.slice(colon + 1).trim(), cols, 'column'),
      ];
    });
}

async function runProtect(options: ProtectOptions): Promise<void> {
  const rules = await loadRules(options.rules);
  const records = await readCsvRecords(options.table);
  let grid;
  try {
    grid = toGrid(countTableFromRecords(records), true);
  } catch (error: unknown) {
    throw asUsageError(error, options.table);
  }
  const primary = options.primary === undefined ? [] : parsePrimary(options.primary, grid.rows, grid.cols);
  const result = analyseGrid(grid, rules, { suppress: true, primary });
  printResult(result, options.json === true, options.exitCode === true);
}

export function registerSdcProtect(sdc: Command): void {
  sdc
    .command('protect')
    .description(
      'Protect a pre-aggregated count table: primary and secondary suppression, then the attacker audit',
    )
    .requiredOption('--table <file>', 'CSV: row labels first, column labels in the header, inner counts only')
    .option('--primary <cells>', 'cells to suppress whatever the rules say: ROW:COL,... (indices or labels)')
    .option('--rules <file>', "the TRE's rule set (JSON) overriding the defaults")
    .option('--json', 'print one JSON object')
    .option('--exit-code', 'exit 1 when the status is fail')
    .action(runProtect);
}
