import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyseGrid, CsvTableReader, DEFAULT_RULE_SET, type TableSpec, toGrid } from '@tre/sdc';
import { writeBenchData } from './synthetic-data';

/**
 * The SDC benchmark: 1,000,000 rows (fixed seed) of two capped-Zipf(1.6) columns with 50 levels and a
 * log-normal value; times a count table and a mean table, each with margins, suppression and the audit, end
 * to end from the CSV file. Each figure is measured in a fresh process so peak memory is its own.
 * Usage: main.js [--rows N] [--write-data FILE] [--seed S]
 */
const SEED = 20240601;

interface Measured {
  seconds: number;
  peakMb: number;
  flagged: number;
  suppressed: number;
  unprotected: number;
  status: string;
}

async function measure(file: string, kind: 'count' | 'mean'): Promise<Measured> {
  const started = process.hrtime.bigint();
  const spec: TableSpec =
    kind === 'count'
      ? { rowVars: ['a'], colVars: ['b'], agg: 'count' }
      : { rowVars: ['a'], colVars: ['b'], valueVar: 'value', agg: 'mean' };
  const reader = new CsvTableReader(spec);
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    reader.push(chunk as string);
  }
  const result = analyseGrid(toGrid(reader.finish(), true), DEFAULT_RULE_SET, { suppress: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    peakMb: process.resourceUsage().maxRSS / 1024,
    flagged: new Set(result.flags.filter((f) => f.outcome === 'fail').map((f) => `${f.row},${f.col}`)).size,
    suppressed: result.suppressed.length,
    unprotected: result.audit.filter((a) => !a.protected).length,
    status: result.status,
  };
}

function child(file: string, kind: 'count' | 'mean'): Measured {
  const run = spawnSync(process.execPath, [__filename, '--measure', kind, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`measuring ${kind} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Measured;
}

function cli(file: string, extra: string[]): number | undefined {
  const main = [
    resolve(__dirname, '../../apps/cli/main.js'),
    resolve(__dirname, '../../apps/cli/src/main.js'),
  ].find(existsSync);
  if (!main) return undefined;
  const args = [
    main,
    'sdc',
    'table',
    '--data',
    file,
    '--rows',
    'a',
    '--cols',
    'b',
    '--margins',
    '--suppress',
    '--json',
  ];
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...args, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return run.status === 0 ? seconds : undefined;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function print(name: string, value: number, unit: string): void {
  process.stdout.write(`${name}: ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}\n`);
}

async function main(): Promise<void> {
  const kind = arg('--measure');
  if (kind === 'count' || kind === 'mean') {
    process.stdout.write(JSON.stringify(await measure(process.argv[process.argv.length - 1], kind)));
    return;
  }
  const rows = Number(arg('--rows') ?? 1_000_000);
  const seed = Number(arg('--seed') ?? SEED);
  const target = arg('--write-data');
  const dir = mkdtempSync(join(tmpdir(), 'sdc-bench-'));
  try {
    const file = target ?? join(dir, 'data.csv');
    const started = process.hrtime.bigint();
    writeBenchData(file, rows, seed);
    print('sdc_generate_data', Number(process.hrtime.bigint() - started) / 1e9, 's');
    const quarter = join(dir, 'quarter.csv');
    writeBenchData(quarter, Math.round(rows / 4), seed);
    const label = rows === 1_000_000 ? '1m_rows' : `${rows}_rows`;
    const count = child(file, 'count');
    const mean = child(file, 'mean');
    const small = child(quarter, 'count');
    print(`sdc_count_table_${label}`, count.seconds, 's');
    print(`sdc_mean_table_${label}`, mean.seconds, 's');
    print('sdc_peak_rss', Math.max(count.peakMb, mean.peakMb), 'MB');
    print('sdc_peak_rss_count_quarter_rows', small.peakMb, 'MB');
    print('sdc_peak_rss_count_all_rows', count.peakMb, 'MB');
    print('sdc_count_cells_failing', count.flagged, 'cells');
    print('sdc_count_cells_suppressed', count.suppressed, 'cells');
    print('sdc_mean_cells_suppressed', mean.suppressed, 'cells');
    print('sdc_audit_unprotected', count.unprotected + mean.unprotected, 'cells');
    const cliCount = cli(file, []);
    const cliMean = cli(file, ['--values', 'value', '--agg', 'mean']);
    if (cliCount !== undefined) print(`sdc_cli_count_table_${label}`, cliCount, 's');
    if (cliMean !== undefined) print(`sdc_cli_mean_table_${label}`, cliMean, 's');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sdc bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
