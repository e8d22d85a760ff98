import { isMissing, parseNumber } from '../csv/values';
import { CsvTokenizer } from '../csv/csv-tokenizer';
import { addMissing, addRecord, addValue, type CellStats, emptyStats, mergeStats } from './cell-stats';
import { type Label, type LabelOrder, orderFor } from './labels';
import { type StatTable, type TableSpec } from './table-model';

/** Input that cannot make a table: unknown column, non-numeric values, ragged or empty data. */
export class TableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableInputError';
  }
}

const SEPARATOR = '\u001f';

function columnIndex(header: string[], name: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    const known = header.map((h) => JSON.stringify(h)).join(', ');
    throw new TableInputError(`unknown column ${JSON.stringify(name)} (columns: ${known})`);
  }
  return index;
}

/** Builds a table from records in one pass; memory grows with the number of cells, not of records. */
export class TableBuilder {
  private readonly rowIdx: number[];
  private readonly colIdx: number[];
  private readonly valueIdx: number;
  private readonly keepValues: boolean;
  private readonly rowIds = new Map<string, number>();
  private readonly colIds = new Map<string, number>();
  private readonly rowKeys: string[] = [];
  private readonly colKeys: string[] = [];
  private readonly cells: CellStats[][] = [];
  private records = 0;
  private dropped = 0;

  constructor(
    private readonly header: string[],
    private readonly spec: TableSpec,
  ) {
    if (spec.rowVars.length === 0 || spec.colVars.length === 0) {
      throw new TableInputError('a table needs at least one row and one column variable');
    }
    this.rowIdx = spec.rowVars.map((name) => columnIndex(header, name));
    this.colIdx = spec.colVars.map((name) => columnIndex(header, name));
    this.valueIdx = spec.valueVar === undefined ? -1 : columnIndex(header, spec.valueVar);
    this.keepValues = spec.agg === 'median';
  }

  add(fields: string[], line: number): void {
    if (fields.length !== this.header.length) {
      throw new TableInputError(
        `malformed CSV at line ${line}: expected ${this.header.length} fields, found ${fields.length}`,
      );
    }
    const rowKey = key(fields, this.rowIdx);
    const colKey = key(fields, this.colIdx);
    if (rowKey === undefined || colKey === undefined) {
      this.dropped++;
      return;
    }
    this.records++;
    const cell = this.cell(
      this.id(this.rowIds, this.rowKeys, rowKey),
      this.id(this.colIds, this.colKeys, colKey),
    );
    if (this.valueIdx < 0) return addRecord(cell);
    const text = fields[this.valueIdx];
    if (isMissing(text)) return addMissing(cell);
    const value = parseNumber(text);
    if (value === undefined) {
      throw new TableInputError(
        `values column ${JSON.stringify(this.spec.valueVar)} is not numeric: ${JSON.stringify(text)} at line ${line}`,
      );
    }
    addValue(cell, value);
  }

  finish(): StatTable {
    if (this.records === 0) {
      throw new TableInputError(
        this.dropped > 0 ? 'no records with all row and column labels present' : 'the data has no records',
      );
    }
    const rows = arrange(this.rowKeys, this.spec.rowVars.length);
    const cols = arrange(this.colKeys, this.spec.colVars.length);
    const cells = rows.members.map((rawRows) =>
      cols.members.map((rawCols) => {
        let merged: CellStats | undefined;
        for (const r of rawRows) {
          for (const c of rawCols) {
            const cell = this.cells[r][c];
            if (cell) merged = merged ? mergeStats(merged, cell) : cell;
          }
        }
        return merged ?? emptyStats(this.keepValues);
      }),
    );
    return { spec: this.spec, rows: rows.labels, cols: cols.labels, cells, droppedRecords: this.dropped };
  }

  private id(ids: Map<string, number>, keys: string[], k: string): number {
    let id = ids.get(k);
    if (id === undefined) {
      id = keys.length;
      ids.set(k, id);
      keys.push(k);
    }
    return id;
  }

  private cell(r: number, c: number): CellStats {
    const row = (this.cells[r] ??= []);
    return (row[c] ??= emptyStats(this.keepValues));
  }
}

function key(fields: string[], indices: number[]): string | undefined {
  if (indices.length === 1) {
    const value = fields[indices[0]];
    return isMissing(value) ? undefined : value;
  }
  const parts: string[] = [];
  for (const i of indices) {
    if (isMissing(fields[i])) return undefined;
    parts.push(fields[i]);
  }
  return parts.join(SEPARATOR);
}

/** Canonical labels in crosstab order, each with the raw keys that fold into it. */
function arrange(rawKeys: string[], width: number): { labels: Label[]; members: number[][] } {
  const tuples = rawKeys.map((k) => (width === 1 ? [k] : k.split(SEPARATOR)));
  const orders: LabelOrder[] = [];
  for (let v = 0; v < width; v++) orders.push(orderFor(new Set(tuples.map((t) => t[v]))));
  const groups = new Map<string, { tuple: string[]; members: number[] }>();
  tuples.forEach((tuple, id) => {
    const canonical = tuple.map((raw, v) => orders[v].canonical(raw));
    const k = canonical.join(SEPARATOR);
    const group = groups.get(k);
    if (group) group.members.push(id);
    else groups.set(k, { tuple: canonical, members: [id] });
  });
  const sorted = [...groups.values()].sort((a, b) => {
    for (let v = 0; v < width; v++) {
      const d = orders[v].compare(a.tuple[v], b.tuple[v]);
      if (d !== 0) return d;
    }
    return 0;
  });
  return {
    labels: sorted.map((g) => (width === 1 ? g.tuple[0] : g.tuple)),
    members: sorted.map((g) => g.members),
  };
}

/** Streams CSV text (header first) into a table: push chunks as they are read, then `finish`. */
export class CsvTableReader {
  private builder: TableBuilder | undefined;
  private readonly tokenizer: CsvTokenizer;

  /** `spec` may be resolved from the header, e.g. to split "A,B" only when no column is named so. */
  constructor(spec: TableSpec | ((header: string[]) => TableSpec)) {
    this.tokenizer = new CsvTokenizer((fields, line) => {
      if (this.builder) this.builder.add(fields, line);
      else this.builder = new TableBuilder(fields, typeof spec === 'function' ? spec(fields) : spec);
    });
  }

  push(chunk: string): void {
    this.tokenizer.push(chunk);
  }

  finish(): StatTable {
    this.tokenizer.end();
    if (!this.builder) throw new TableInputError('the data is empty: no header row');
    return this.builder.finish();
  }
}

export function tableFromCsv(text: string, spec: TableSpec): StatTable {
  const reader = new CsvTableReader(spec);
  reader.push(text);
  return reader.finish();
}
