import { labelText, type SdcResult } from '@tre/sdc';
import { exitWith } from '../../cli-errors';

/** Prints a result: one JSON object, or the table and a plain summary for a person. */
export function printResult(result: SdcResult, json: boolean, exitCode: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : formatResult(result));
  if (exitCode && result.status === 'fail') exitWith(1);
}

function formatValue(value: number | null): string {
  if (value === null) return '';
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

/** Markers: `x` suppressed (primary), `s` suppressed (secondary), `!` breaks a rule, `?` needs review. */
export function formatResult(result: SdcResult): string {
  const lines: string[] = [];
  const table = result.table;
  if (table) {
    const title = table.valueVar === null ? 'count' : `${table.agg} of ${table.valueVar}`;
    lines.push(`${table.rowVars.join(', ')} by ${table.colVars.join(', ') || 'column'} (${title})`, '');
    const marks = new Map<string, string>();
    for (const f of result.flags) {
      const k = `${f.row},${f.col}`;
      if (f.outcome === 'fail') marks.set(k, '!');
      else if (!marks.has(k)) marks.set(k, '?');
    }
    for (const s of result.suppressed) marks.set(`${s.row},${s.col}`, s.kind === 'primary' ? 'x' : 's');
    const grid = [
      ['', ...table.cols.map(labelText)],
      ...table.rows.map((row, r) => [
        labelText(row),
        ...table.values[r].map((v, c) => {
          const mark = marks.get(`${r},${c}`) ?? ' ';
          return mark === 'x' || mark === 's' ? `${mark} ` : `${formatValue(v)}${mark}`;
        }),
      ]),
    ];
    const widths = grid[0].map((_, c) => Math.max(...grid.map((row) => row[c].length)));
    for (const row of grid) {
      lines.push(
        row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
      );
    }
    lines.push(
      '',
      'x suppressed (breaks a rule)  s suppressed to protect another cell  ! breaks a rule  ? review',
    );
    if (table.rounding) lines.push(`values rounded: ${table.rounding}`);
  }
  lines.push('', `status: ${result.status.toUpperCase()} - ${result.message}`);
  for (const f of result.flags)
    lines.push(`  ${f.outcome} ${f.rule} ${cellName(result, f.row, f.col)}: ${f.reason}`);
  for (const a of result.audit.filter((entry) => !entry.protected)) {
    lines.push(`  NOT PROTECTED ${cellName(result, a.row, a.col)}: ${a.reason}`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  lines.push(`rules: ${result.rules.name} ${result.rules.version}`, '');
  return lines.join('\n');
}

function cellName(result: SdcResult, row: number, col: number): string {
  const table = result.table;
  if (!table) return `[${row}, ${col}]`;
  const r = table.rows[row];
  const c = table.cols[col];
  return `[${row}, ${col}] ${r === undefined ? '' : labelText(r)} / ${c === undefined ? '' : labelText(c)}`;
}
