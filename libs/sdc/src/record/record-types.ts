import { type Aggregation } from '../table/cell-stats';
import { type Label } from '../table/labels';

/** The record format this checker writes and reads; any 1.x record is accepted (minor versions only add). */
export const RECORD_SCHEMA = 'tre-sdc-record';
export const RECORD_VERSION = '1.2.0';
export const LEDGER_SCHEMA = 'tre-sdc-ledger';

interface RecordBase {
  schema: typeof RECORD_SCHEMA;
  version: string;
  /** Identifies the output, e.g. in the release ledger and in differencing flags. */
  id?: string;
  description?: string;
  /** The output file this record travels with. */
  file?: string;
  /**
   * The file the output was built from, as `tre sdc` read it (since 1.2): its SHA-256, and its name. When it
   * is a file of the project's extract, the airlock rebuilds the table from its own copy and compares.
   */
  source?: RecordSource;
}

export interface RecordSource {
  /** SHA-256 of the source file's bytes, lower-case hex. */
  sha256: string;
  /** Its file name where it was read, for people; the hash is what counts. */
  file?: string;
}

/** One cell's statistics as gathered from the microdata. */
export interface CellRecord {
  /** Contributing records (with a value, for magnitude tables). */
  records: number;
  /** Sum of the values (magnitude tables). */
  total?: number;
  /** The largest contributions, largest first (magnitude tables; at least two unless the cell has fewer). */
  top?: number[];
  negatives?: number;
  missing?: number;
}

export interface TableRecord extends RecordBase {
  type: 'table';
  table: {
    rowVars: string[];
    colVars: string[];
    valueVar?: string | null;
    agg: Aggregation;
    rows: Label[];
    cols: Label[];
    /** When true the last row and column are totals (`All`). */
    margins: boolean;
    /** As published: null marks a suppressed cell. */
    values: (number | null)[][];
    /** How published values were rounded after suppression (`"base 5"`, `"midpoint6"`); absent or null: not rounded. Since 1.1. */
    rounding?: string | null;
    cells: CellRecord[][];
  };
}

export interface RegressionRecord extends RecordBase {
  type: 'regression';
  regression: { model?: string; residualDof?: number; observations?: number; parameters?: number };
}

export interface HistogramRecord extends RecordBase {
  type: 'histogram';
  histogram: { variable?: string; bins: { lower: number; upper: number; count: number }[] };
}

export interface SurvivalRecord extends RecordBase {
  type: 'survival';
  survival: { steps: { time: number; atRisk: number; events: number; censored?: number }[] };
}

export const SUMMARY_STATISTICS = [
  'count',
  'sum',
  'mean',
  'std',
  'median',
  'percentile',
  'min',
  'max',
] as const;
export type SummaryStatistic = (typeof SUMMARY_STATISTICS)[number];

export interface SummaryRecord extends RecordBase {
  type: 'summary';
  statistics: {
    variable: string;
    statistic: SummaryStatistic;
    records: number;
    value?: number;
    percentile?: number;
    /** Whether the value is one record's own value (an uninterpolated percentile or median). */
    singleRecord?: boolean;
  }[];
}

/** Any other output: it cannot be checked automatically and always goes to a person. */
export interface OtherRecord extends RecordBase {
  type: string;
}

export type SdcRecord =
  TableRecord | RegressionRecord | HistogramRecord | SurvivalRecord | SummaryRecord | OtherRecord;

/** Tables already released from the same project, for differencing. */
export interface Ledger {
  released: TableRecord[];
}
