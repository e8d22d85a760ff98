import { IDENTIFIER_KINDS, type IdentifierKind, scanValue } from './identifier-patterns';

/**
 * Streams the rows of an extract through scanValue and keeps, per column and kind, a count and the numbers of
 * the first few rows involved. It never keeps a value: the report goes into the manifest, the audit trail and
 * the API, and quoting a leaked NHS number there would leak it a second time. Row numbers are enough for a
 * custodian to find the cells inside the secure environment. Memory is bounded by columns x kinds x samples.
 */

export type ScannedRow = Readonly<Record<string, string | null>>;

export interface ResidualScanOptions {
  /** How many row numbers to keep per column and kind (default 5). */
  readonly maxSampleRows?: number;
}

export interface ResidualFinding {
  readonly column: string;
  readonly kind: IdentifierKind;
  /** Cells of this column in which this kind was found. */
  readonly count: number;
  /** 1-based numbers of the first rows with such a cell, in the order rows were given to scanRow. */
  readonly sampleRowNumbers: readonly number[];
}

export interface ResidualScanReport {
  readonly rowsScanned: number;
  readonly columnsScanned: readonly string[];
  /** True when no finding was made; the gate releases nothing unless this is true. */
  readonly clean: boolean;
  /** Sorted by column, then kind in IDENTIFIER_KINDS order. */
  readonly findings: readonly ResidualFinding[];
}

const DEFAULT_MAX_SAMPLE_ROWS = 5;

interface FindingTally {
  count: number;
  readonly sampleRowNumbers: number[];
}

export class ResidualIdentifierScanner {
  private readonly maxSampleRows: number;
  private rowsScanned = 0;
  private readonly columns = new Set<string>();
  /** column -> kind -> tally */
  private readonly tallies = new Map<string, Map<IdentifierKind, FindingTally>>();
  private lastColumns: readonly string[] | undefined;

  constructor(options: ResidualScanOptions = {}) {
    const maxSampleRows = options.maxSampleRows ?? DEFAULT_MAX_SAMPLE_ROWS;
    if (!Number.isSafeInteger(maxSampleRows) || maxSampleRows < 0) {
      throw new RangeError(`maxSampleRows must be a non-negative integer, got ${maxSampleRows}`);
    }
    this.maxSampleRows = maxSampleRows;
  }

  scanRow(row: ScannedRow): void {
    const rowNumber = ++this.rowsScanned;
    for (const column of Object.keys(row)) {
      this.columns.add(column);
      const kinds = scanValue(row[column]);
      for (const kind of kinds) this.record(column, kind, rowNumber);
    }
  }

  /**
   * Row by row without a record: startRow counts a row of these columns, then scanCell is called for the cells
   * that may hold an identifier (couldHoldIdentifier); skipping the others gives the same report as scanRow.
   */
  startRow(columns: readonly string[]): void {
    this.rowsScanned++;
    if (columns !== this.lastColumns) {
      for (const column of columns) this.columns.add(column);
      this.lastColumns = columns;
    }
  }

  scanCell(column: string, value: string | null): void {
    for (const kind of scanValue(value)) this.record(column, kind, this.rowsScanned);
  }

  private record(column: string, kind: IdentifierKind, rowNumber: number): void {
    let byKind = this.tallies.get(column);
    if (!byKind) {
      byKind = new Map();
      this.tallies.set(column, byKind);
    }
    let tally = byKind.get(kind);
    if (!tally) {
      tally = { count: 0, sampleRowNumbers: [] };
      byKind.set(kind, tally);
    }
    tally.count++;
    if (tally.sampleRowNumbers.length < this.maxSampleRows) tally.sampleRowNumbers.push(rowNumber);
  }

  report(): ResidualScanReport {
    const findings: ResidualFinding[] = [];
    for (const column of [...this.tallies.keys()].sort()) {
      const byKind = this.tallies.get(column);
      for (const kind of IDENTIFIER_KINDS) {
        const tally = byKind?.get(kind);
        if (tally)
          findings.push({ column, kind, count: tally.count, sampleRowNumbers: [...tally.sampleRowNumbers] });
      }
    }
    return {
      rowsScanned: this.rowsScanned,
      columnsScanned: [...this.columns].sort(),
      clean: findings.length === 0,
      findings,
    };
  }
}
