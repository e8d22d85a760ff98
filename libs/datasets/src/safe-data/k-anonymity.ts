/**
 * k-anonymity over the quasi-identifiers of an extract: every combination of quasi-identifier values must be
 * shared by at least k rows, or a researcher who knows those facts about someone can pick out their row.
 *
 * The counter keeps one integer per distinct combination, so memory grows with the number of groups, never
 * with the number of rows. Its report names groups only by size and by the columns that define them, never by
 * their values: the report is stored in the manifest and audit trail and shown through the API, and "the one
 * person born 1931 in district TR21" is itself a disclosure of exactly the kind the check exists to prevent.
 */

export type QuasiIdentifierRow = Readonly<Record<string, string | null | undefined>>;

export const DEFAULT_K = 5;
const DEFAULT_SMALLEST_GROUPS = 10;

export interface SmallGroup {
  /** Rows sharing one combination of quasi-identifier values. */
  readonly size: number;
  /** The quasi-identifier columns whose values define the group (the same for every group of one counter). */
  readonly columns: readonly string[];
}

export interface KAnonymityReport {
  readonly k: number;
  readonly columns: readonly string[];
  readonly rows: number;
  readonly groups: number;
  /** Size of the smallest group, or null when no rows were counted. */
  readonly smallestGroupSize: number | null;
  readonly groupsBelowK: number;
  readonly rowsInGroupsBelowK: number;
  /** True when every group has at least k rows (vacuously true for no rows). */
  readonly satisfied: boolean;
  /** The smallest groups, smallest first, described without their values. */
  readonly smallestGroups: readonly SmallGroup[];
}

export interface KAnonymityReportOptions {
  /** How many of the smallest groups to list (default 10). */
  readonly smallestGroupsLimit?: number;
}

export class KAnonymityCounter {
  private readonly columns: readonly string[];
  private readonly groupSizes = new Map<string, number>();
  private rows = 0;

  constructor(quasiIdentifierColumns: readonly string[]) {
    if (quasiIdentifierColumns.length === 0) throw new RangeError('k-anonymity needs at least one column');
    if (new Set(quasiIdentifierColumns).size !== quasiIdentifierColumns.length) {
      throw new RangeError('k-anonymity columns must be distinct');
    }
    this.columns = [...quasiIdentifierColumns];
  }

  add(row: QuasiIdentifierRow): void {
    const key = this.groupKey(row);
    this.groupSizes.set(key, (this.groupSizes.get(key) ?? 0) + 1);
    this.rows++;
  }

  /** The same as add, given the values of the columns in the counter's column order. */
  addValues(values: readonly (string | null)[]): void {
    if (values.length !== this.columns.length) {
      throw new RangeError(`expected ${this.columns.length} quasi-identifier values, got ${values.length}`);
    }
    const key = JSON.stringify(values);
    this.groupSizes.set(key, (this.groupSizes.get(key) ?? 0) + 1);
    this.rows++;
  }

  /**
   * JSON of the value tuple: unambiguous whatever the values contain, and null (missing) stays distinct from the
   * string "null" and from "". A row without one of the columns is an error rather than a silent null, because a
   * misspelt column name would otherwise put every row into one large, falsely reassuring group.
   */
  private groupKey(row: QuasiIdentifierRow): string {
    const values = this.columns.map((column) => {
      if (!(column in row)) throw new RangeError(`row has no quasi-identifier column "${column}"`);
      return row[column] ?? null;
    });
    return JSON.stringify(values);
  }

  report(k: number = DEFAULT_K, options: KAnonymityReportOptions = {}): KAnonymityReport {
    if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    const limit = options.smallestGroupsLimit ?? DEFAULT_SMALLEST_GROUPS;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError(`smallestGroupsLimit must be a non-negative integer, got ${limit}`);
    }
    let groupsBelowK = 0;
    let rowsInGroupsBelowK = 0;
    const sizes: number[] = [];
    for (const size of this.groupSizes.values()) {
      sizes.push(size);
      if (size < k) {
        groupsBelowK++;
        rowsInGroupsBelowK += size;
      }
    }
    sizes.sort((a, b) => a - b);
    return {
      k,
      columns: [...this.columns],
      rows: this.rows,
      groups: sizes.length,
      smallestGroupSize: sizes.length === 0 ? null : sizes[0],
      groupsBelowK,
      rowsInGroupsBelowK,
      satisfied: groupsBelowK === 0,
      smallestGroups: sizes.slice(0, limit).map((size) => ({ size, columns: [...this.columns] })),
    };
  }
}
