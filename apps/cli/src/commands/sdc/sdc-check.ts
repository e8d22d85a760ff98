import type { Command } from 'commander';
import { checkRecord, type Ledger, RecordError, validateLedger, validateRecord } from '@tre/sdc';
import { CliUsageError } from '../../cli-errors';
import { loadRules, readJson } from './sdc-io';
import { printResult } from './sdc-output';

interface CheckOptions {
  record: string;
  ledger?: string;
  rules?: string;
  json?: boolean;
  exitCode?: boolean;
}

function usage<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error: unknown) {
    if (error instanceof RecordError) throw new CliUsageError(`${file}: ${error.message}`);
    throw error;
  }
}

async function runCheck(options: CheckOptions): Promise<void> {
  const rules = await loadRules(options.rules);
  const input = await readJson(options.record, 'record');
  const record = usage(options.record, () => validateRecord(input));
  let ledger: Ledger | undefined;
  if (options.ledger !== undefined) {
    const ledgerInput = await readJson(options.ledger, 'ledger');
    ledger = usage(options.ledger, () => validateLedger(ledgerInput));
  }
  printResult(checkRecord(record, rules, ledger), options.json === true, options.exitCode === true);
}

export function registerSdcCheck(sdc: Command): void {
  sdc
    .command('check')
    .description('Check a disclosure-control record (table, regression, histogram, survival, summary)')
    .requiredOption('--record <file>', 'the record (JSON, schema tre-sdc-record 1.x)')
    .option('--ledger <file>', "the project's released tables (JSON), for differencing")
    .option('--rules <file>', "the TRE's rule set (JSON) overriding the defaults")
    .option('--json', 'print one JSON object')
    .option('--exit-code', 'exit 1 when the status is fail')
    .action(runCheck);
}
