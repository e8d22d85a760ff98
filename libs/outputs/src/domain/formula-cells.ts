import { parseCsv } from '@tre/sdc';
import { isObject } from '@tre/sdc';
import type { OutputKind } from './sniff';

/** A cell a spreadsheet would run as a formula if the file were opened in it. */
export interface FormulaCell {
  /** Where: `row 3, column 2` of a CSV file (1-based, header included), or a JSON path like `$.values[2][1]`. */
  readonly where: string;
  /** The start of the cell's text, for the checker to see (never more than 60 characters). */
  readonly excerpt: string;
}

/**
 * Characters that make Excel, LibreOffice or Sheets evaluate a cell (OWASP's CSV injection list, plus the
 * full-width forms some spreadsheets fold to them). Leading spaces are skipped first, as some importers trim.
 */
const TRIGGER = /^ *[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain number (a negative count, `+5`, `-1.5e3`) is data, not a formula; a lone `-` marks suppression. */
const PLAIN_NUMBER = /^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MAX_REPORTED = 50;

export function isFormulaCell(text: string): boolean {
  if (!TRIGGER.test(text)) return false;
  const trimmed = text.trim();
  return trimmed !== '-' && !PLAIN_NUMBER.test(trimmed);
}

const excerpt = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** Deeper JSON is not scanned (nor rewritten): the file is flagged for a person instead. */
export const MAX_JSON_DEPTH = 1000;

export class TooDeepError extends Error {
  constructor() {
    super(`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep, too deep to scan for formula cells`);
    this.name = 'TooDeepError';
  }
}

/** Walks every string (and key) without recursion, so no nesting can overflow the stack. */
function jsonStrings(root: unknown, found: FormulaCell[]): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '$', depth: 0 }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const { value, path, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) throw new TooDeepError();
    if (typeof value === 'string') {
      if (isFormulaCell(value)) found.push({ where: path, excerpt: excerpt(value) });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else if (isObject(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i];
        stack.push({ value: v, path: `${path}[${JSON.stringify(key)}]`, depth: depth + 1 });
        if (isFormulaCell(key)) stack.push({ value: key, path: `${path} (key)`, depth: depth + 1 });
      }
    }
  }
}

/** The cells of a CSV or JSON file that a spreadsheet would evaluate (at most 50); none for other kinds. */
export function findFormulaCells(kind: OutputKind, text: string): FormulaCell[] {
  const found: FormulaCell[] = [];
  if (kind === 'csv') {
    parseCsv(text).forEach((row, r) =>
      row.forEach((cell, c) => {
        if (found.length < MAX_REPORTED && isFormulaCell(cell))
          found.push({ where: `row ${r + 1}, column ${c + 1}`, excerpt: excerpt(cell) });
      }),
    );
  } else if (kind === 'json') {
    jsonStrings(JSON.parse(text) as unknown, found);
  }
  return found;
}

/** Prefixing `'` makes every spreadsheet show the cell as text (OWASP's advice); the text itself stays readable. */
function defuser(): { defuse: (text: string) => string; count: () => number } {
  let n = 0;
  return {
    defuse: (text) => {
      if (!isFormulaCell(text)) return text;
      n++;
      return `'${text}`;
    },
    count: () => n,
  };
}

function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function defuseJson(value: unknown, defuse: (text: string) => string): unknown {
  if (typeof value === 'string') return defuse(value);
  if (Array.isArray(value)) return value.map((v) => defuseJson(v, defuse));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [defuse(k), defuseJson(v, defuse)]));
  return value;
}

/**
 * A copy of a CSV or JSON file in which no cell can run as a formula: each such cell is prefixed with `'`,
 * the rest rewritten unchanged in value (CSV quoted where needed, JSON re-serialised). Null when the file
 * has no formula cell, so it is served as stored.
 */
export function neutraliseFormulas(kind: OutputKind, text: string): { text: string; cells: number } | null {
  if (findFormulaCells(kind, text).length === 0) return null;
  const { defuse, count } = defuser();
  if (kind === 'csv') {
    const lines = parseCsv(text).map((row) => row.map((cell) => csvField(defuse(cell))).join(','));
    return { text: `${lines.join('\r\n')}\r\n`, cells: count() };
  }
  const json = JSON.stringify(defuseJson(JSON.parse(text) as unknown, defuse), null, 2);
  return { text: `${json}\n`, cells: count() };
}
