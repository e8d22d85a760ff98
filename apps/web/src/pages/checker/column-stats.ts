/** What the checker reads down each column: how many rows, how many missing, the range and the sum. */
export interface ColumnStats {
  readonly column: string;
  readonly rows: number;
  /** Cells with no value: suppressed, or empty in the file. */
  readonly missing: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly sum: number;
  /** Values that are multiples of 5: all of them suggests the column was rounded to base 5. */
  readonly divisibleBy5: number;
}

/** Per-column statistics of a table's published values (null: suppressed or missing). */
export function columnStats(columns: readonly string[], values: readonly (number | null)[][]): ColumnStats[] {
  return columns.map((column, c) => {
    const present = values.map((row) => row[c]).filter((v): v is number => typeof v === 'number');
    return {
      column,
      rows: values.length,
      missing: values.length - present.length,
      min: present.length ? Math.min(...present) : null,
      max: present.length ? Math.max(...present) : null,
      sum: present.reduce((total, v) => total + v, 0),
      divisibleBy5: present.filter((v) => Number.isInteger(v) && v % 5 === 0).length,
    };
  });
}
