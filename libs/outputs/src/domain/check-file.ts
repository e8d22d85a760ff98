import {
  checkRecord,
  labelText,
  type Ledger,
  type RuleSet,
  type SdcRecord,
  type TableRecord,
} from '@tre/sdc';
import type { ExtractEvidence } from './extract-verification';
import { findFormulaCells, type FormulaCell } from './formula-cells';
import { comparePublishedTable } from './published-table';
import { decodeText, type OutputKind } from './sniff';

export type FileCheckStatus = 'pass' | 'review' | 'fail' | 'manual';

/** One finding shown to the researcher and the checkers: which rule, which cell, why. */
export interface FileFlag {
  readonly rule: string;
  readonly outcome: 'fail' | 'review';
  readonly row: number | null;
  readonly col: number | null;
  /** The cell as labelled in the table, e.g. `"female / 80+"`. */
  readonly cell: string | null;
  /** False for a cell the record already suppresses: the rule is met by suppression. */
  readonly published: boolean;
  readonly reason: string;
}

export interface FileCheckResult {
  readonly status: FileCheckStatus;
  readonly message: string;
  readonly recordType: string | null;
  /** The rule set that judged the file; the service adds its SHA-256 (`OUTPUT_RULES_FILE`). */
  readonly rules: { readonly name: string; readonly version: string; readonly sha256?: string } | null;
  readonly suppressedCells: number;
  /** Whether the file's table is the one its record describes (null when there is no table to compare). */
  readonly publishedTable: 'match' | 'mismatch' | 'not_readable' | null;
  readonly flags: FileFlag[];
  /**
   * For a table record: "verified against the extract" (rebuilt from the service's copy, equal), a mismatch
   * (blocked), or "derived data: the record is the researcher's"; absent otherwise.
   */
  readonly evidence?: ExtractEvidence | null;
}

export interface FileToCheck {
  readonly fileName: string;
  readonly kind: OutputKind;
  readonly content: Buffer;
  readonly record: SdcRecord | null;
}

const MESSAGES: Record<FileCheckStatus, string> = {
  pass: 'every automated check passed',
  review: 'no rule is broken, but some findings need a checker to look',
  fail: 'blocked: the file would disclose, or does not match its record (see flags: rule, cell, reason)',
  manual: 'no disclosure-control record: the file can only be reviewed by hand',
};

function cellName(record: TableRecord | null, row: number, col: number): string | null {
  if (!record) return null;
  const r = record.table.rows[row];
  const c = record.table.cols[col];
  return r === undefined || c === undefined ? null : `${labelText(r)} / ${labelText(c)}`;
}

/** Adds what rebuilding the table from the extract found: its differences block the file. */
export function withEvidence(
  result: FileCheckResult,
  evidence: ExtractEvidence | null,
  flags: readonly FileFlag[],
): FileCheckResult {
  if (flags.length === 0) return { ...result, evidence };
  return { ...result, evidence, status: 'fail', message: MESSAGES.fail, flags: [...result.flags, ...flags] };
}

/**
 * Runs the disclosure-control engine on a file's record (cell rules, the record's own suppression audit,
 * differencing against `ledger`), and checks that the table published in the file is the one the record
 * describes. Pure: the caller reads the file and the ledger.
 */
export function checkOutputFile(file: FileToCheck, rules: RuleSet, ledger: Ledger): FileCheckResult {
  const formulas = formulaFlags(file);
  const result = checkAgainstRecord(file, rules, ledger);
  if (formulas.length === 0) return result;
  const status = result.status === 'pass' ? 'review' : result.status;
  return { ...result, status, message: MESSAGES[status], flags: [...result.flags, ...formulas] };
}

/**
 * Cells of a CSV or JSON file that a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`): shown to
 * the checker as `formula_cell` results, so a person decides; their downloads are neutralised (README).
 */
function formulaFlags(file: FileToCheck): FileFlag[] {
  if (file.kind !== 'csv' && file.kind !== 'json') return [];
  const decoded = decodeText(file.content);
  if (!('text' in decoded)) return [];
  let cells: FormulaCell[];
  try {
    cells = findFormulaCells(file.kind, decoded.text);
  } catch (error: unknown) {
    // Too deep to scan (or not parseable, which the sniffer would have refused): a person looks instead.
    return [
      {
        rule: 'formula_cell',
        outcome: 'review',
        row: null,
        col: null,
        cell: null,
        published: true,
        reason: `the file could not be scanned for formula cells: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  return cells.map((f) => ({
    rule: 'formula_cell',
    outcome: 'review' as const,
    row: null,
    col: null,
    cell: f.where,
    published: true,
    reason: `${JSON.stringify(f.excerpt)} would run as a formula if the file were opened in a spreadsheet`,
  }));
}

function checkAgainstRecord(file: FileToCheck, rules: RuleSet, ledger: Ledger): FileCheckResult {
  if (!file.record) {
    return {
      status: 'manual',
      message: MESSAGES.manual,
      recordType: null,
      rules: null,
      suppressedCells: 0,
      publishedTable: null,
      flags: [
        {
          rule: 'no_record',
          outcome: 'review',
          row: null,
          col: null,
          cell: null,
          published: true,
          reason: 'the file came without a disclosure-control record, so no rule could be checked',
        },
      ],
    };
  }
  const record = file.record;
  const table = record.type === 'table' ? (record as TableRecord) : null;
  const result = checkRecord(record, rules, table ? ledger : undefined);
  const isPublished = (row: number, col: number): boolean =>
    !table || table.table.values[row]?.[col] !== null;
  const flags: FileFlag[] = result.flags.map((f) => ({
    rule: f.rule,
    outcome: f.outcome,
    row: f.row,
    col: f.col,
    cell: cellName(table, f.row, f.col),
    published: isPublished(f.row, f.col),
    reason: f.reason,
  }));
  for (const a of result.audit.filter((entry) => !entry.protected))
    flags.push({
      rule: 'suppression',
      outcome: 'fail',
      row: a.row,
      col: a.col,
      cell: cellName(table, a.row, a.col),
      published: false,
      reason: a.reason,
    });
  let status: FileCheckStatus = result.status;
  let publishedTable: FileCheckResult['publishedTable'] = null;
  if (table) {
    const decoded = file.kind === 'png' || file.kind === 'pdf' ? { text: '' } : decodeText(file.content);
    const comparison =
      'text' in decoded
        ? comparePublishedTable(file.kind, decoded.text, table)
        : { outcome: 'mismatch' as const, mismatches: [{ row: null, col: null, reason: decoded.reason }] };
    publishedTable = comparison.outcome;
    if (comparison.outcome === 'mismatch') {
      status = 'fail';
      for (const m of comparison.mismatches)
        flags.push({
          rule: 'published_table',
          outcome: 'fail',
          row: m.row,
          col: m.col,
          cell: m.row !== null && m.col !== null ? cellName(table, m.row, m.col) : null,
          published: true,
          reason: m.reason,
        });
    } else if (comparison.outcome === 'not_readable') {
      if (status === 'pass') status = 'review';
      flags.push({
        rule: 'published_table',
        outcome: 'review',
        row: null,
        col: null,
        cell: null,
        published: true,
        reason: comparison.reason,
      });
    }
  }
  return {
    status,
    message: MESSAGES[status],
    recordType: record.type,
    rules: { name: result.rules.name, version: result.rules.version },
    suppressedCells: table ? table.table.values.flat().filter((v) => v === null).length : 0,
    publishedTable,
    flags,
  };
}

/**
 * The rules that blocked a request, sorted and each once: the failing flags of its failed files (a failed
 * file with none is `unreadable`). The audit event carries them, so the public statement can count blocks
 * by rule without reading any file.
 */
export function blockingRules(results: readonly FileCheckResult[]): string[] {
  const rules = new Set<string>();
  for (const result of results.filter((r) => r.status === 'fail')) {
    const failing = result.flags.filter((f) => f.outcome === 'fail');
    if (failing.length === 0) rules.add('unreadable');
    for (const flag of failing) rules.add(flag.rule);
  }
  return [...rules].sort();
}

/** The request is blocked if any file fails; otherwise it goes to the output checkers. */
export function requestBlocked(results: readonly FileCheckResult[]): boolean {
  return results.some((r) => r.status === 'fail');
}
