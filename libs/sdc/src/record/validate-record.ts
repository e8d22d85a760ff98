import { AGGREGATIONS } from '../table/cell-stats';
import { type Label } from '../table/labels';
import { parseRoundingText } from './record-values';
import { type Json, JsonReader, RecordError, isObject } from './json-reader';
import {
  type CellRecord,
  type Ledger,
  type RecordSource,
  LEDGER_SCHEMA,
  RECORD_SCHEMA,
  type SdcRecord,
  SUMMARY_STATISTICS,
  type TableRecord,
} from './record-types';

function label(r: JsonReader, value: unknown, path: string): Label {
  if (Array.isArray(value)) return value.map((part, i) => r.string(part, `${path}[${i}]`));
  return r.string(value, path);
}

function cell(r: JsonReader, value: unknown, path: string): CellRecord {
  const o = r.object(value, path);
  const top =
    o.top === undefined
      ? undefined
      : r.array(o.top, `${path}.top`).map((x, i) => r.number(x, `${path}.top[${i}]`));
  return {
    records: r.count(o.records, `${path}.records`),
    total: r.optionalNumber(o.total, `${path}.total`),
    top,
    negatives: r.optionalCount(o.negatives, `${path}.negatives`),
    missing: r.optionalCount(o.missing, `${path}.missing`),
  };
}

function grid<T>(
  r: JsonReader,
  value: unknown,
  path: string,
  rows: number,
  cols: number,
  item: (v: unknown, p: string) => T,
): T[][] {
  const outer = r.array(value, path);
  if (outer.length !== rows) r.fail(path, `must have ${rows} rows, one per label`);
  return outer.map((row, i) => {
    const inner = r.array(row, `${path}[${i}]`);
    if (inner.length !== cols) r.fail(`${path}[${i}]`, `must have ${cols} cells, one per column label`);
    return inner.map((v, j) => item(v, `${path}[${i}][${j}]`));
  });
}

function rounding(r: JsonReader, value: unknown): string | null {
  if (value === null) return null;
  const text = r.string(value, 'table.rounding');
  if (typeof value === 'string' && parseRoundingText(text) === undefined)
    r.fail('table.rounding', 'must be "base N" (N a whole number of at least 1), "midpoint6" or null');
  return text;
}

function table(r: JsonReader, o: Json): TableRecord['table'] {
  const t = r.object(o.table, 'table');
  const rows = r.array(t.rows, 'table.rows').map((v, i) => label(r, v, `table.rows[${i}]`));
  const cols = r.array(t.cols, 'table.cols').map((v, i) => label(r, v, `table.cols[${i}]`));
  const valueVar =
    t.valueVar === undefined || t.valueVar === null ? null : r.string(t.valueVar, 'table.valueVar');
  return {
    rowVars: r.strings(t.rowVars, 'table.rowVars'),
    colVars: r.strings(t.colVars, 'table.colVars'),
    valueVar,
    agg: r.oneOf(t.agg, AGGREGATIONS, 'table.agg'),
    rows,
    cols,
    margins: r.boolean(t.margins, 'table.margins'),
    values: grid(r, t.values, 'table.values', rows.length, cols.length, (v, p) =>
      v === null ? null : r.number(v, p),
    ),
    cells: grid(r, t.cells, 'table.cells', rows.length, cols.length, (v, p) => cell(r, v, p)),
    ...(t.rounding === undefined ? {} : { rounding: rounding(r, t.rounding) }),
  };
}

function body(r: JsonReader, o: Json, type: string): Partial<SdcRecord> {
  switch (type) {
    case 'table':
      return { table: table(r, o) };
    case 'regression': {
      const g = r.object(o.regression, 'regression');
      return {
        regression: {
          model: r.optionalString(g.model, 'regression.model'),
          residualDof: r.optionalNumber(g.residualDof, 'regression.residualDof'),
          observations: r.optionalCount(g.observations, 'regression.observations'),
          parameters: r.optionalCount(g.parameters, 'regression.parameters'),
        },
      };
    }
    case 'histogram': {
      const h = r.object(o.histogram, 'histogram');
      const bins = r.array(h.bins, 'histogram.bins').map((b, i) => {
        const bin = r.object(b, `histogram.bins[${i}]`);
        const p = `histogram.bins[${i}]`;
        return {
          lower: r.number(bin.lower, `${p}.lower`),
          upper: r.number(bin.upper, `${p}.upper`),
          count: r.count(bin.count, `${p}.count`),
        };
      });
      return {
        histogram: { variable: r.optionalString(h.variable, 'histogram.variable'), bins },
      };
    }
    case 'survival': {
      const s = r.object(o.survival, 'survival');
      const steps = r.array(s.steps, 'survival.steps').map((v, i) => {
        const step = r.object(v, `survival.steps[${i}]`);
        const p = `survival.steps[${i}]`;
        return {
          time: r.number(step.time, `${p}.time`),
          atRisk: r.count(step.atRisk, `${p}.atRisk`),
          events: r.count(step.events, `${p}.events`),
          censored: r.optionalCount(step.censored, `${p}.censored`),
        };
      });
      return { survival: { steps } };
    }
    case 'summary': {
      const statistics = r.array(o.statistics, 'statistics').map((v, i) => {
        const s = r.object(v, `statistics[${i}]`);
        const p = `statistics[${i}]`;
        return {
          variable: r.string(s.variable, `${p}.variable`),
          statistic: r.oneOf(s.statistic, SUMMARY_STATISTICS, `${p}.statistic`),
          records: r.count(s.records, `${p}.records`),
          value: r.optionalNumber(s.value, `${p}.value`),
          percentile: r.optionalNumber(s.percentile, `${p}.percentile`),
          singleRecord:
            s.singleRecord === undefined ? undefined : r.boolean(s.singleRecord, `${p}.singleRecord`),
        };
      });
      return { statistics };
    }
    default:
      return {};
  }
}

/** `source` (since 1.2): the SHA-256 (and name) of the file the output was built from. */
function source(r: JsonReader, value: unknown): { source?: RecordSource } {
  if (value === undefined) return {};
  if (!isObject(value)) {
    r.fail('source', 'must be an object with the sha256 of the file the output was built from');
    return {};
  }
  const sha256 = r.string(value.sha256, 'source.sha256');
  if (sha256 !== '' && !/^[0-9a-f]{64}$/.test(sha256))
    r.fail('source.sha256', 'must be a SHA-256 in lower-case hex (64 characters)');
  const file = r.optionalString(value.file, 'source.file');
  return { source: { sha256, ...(file === undefined ? {} : { file }) } };
}

/** Reads a disclosure-control record (parsed JSON), or throws a RecordError listing every problem. */
export function validateRecord(input: unknown): SdcRecord {
  const r = new JsonReader();
  if (!isObject(input)) throw new RecordError(['the record must be a JSON object']);
  if (input.schema !== RECORD_SCHEMA) r.fail('schema', `must be "${RECORD_SCHEMA}"`);
  const version = r.string(input.version, 'version');
  if (version !== '' && !/^1\.\d+(\.\d+)?$/.test(version)) {
    r.fail('version', `${JSON.stringify(version)} is not supported: this checker reads version 1.x records`);
  }
  const type = r.string(input.type, 'type');
  const record = {
    schema: RECORD_SCHEMA,
    version,
    type,
    id: r.optionalString(input.id, 'id'),
    description: r.optionalString(input.description, 'description'),
    file: r.optionalString(input.file, 'file'),
    ...source(r, input.source),
    ...body(r, input, type),
  } as SdcRecord;
  if (r.problems.length > 0) throw new RecordError(r.problems);
  return record;
}

/** Reads a ledger: `{ "schema": "tre-sdc-ledger", "released": [records] }` or a bare array of records. */
export function validateLedger(input: unknown): Ledger {
  const list = Array.isArray(input) ? input : isObject(input) ? input.released : undefined;
  if (isObject(input) && input.schema !== undefined && input.schema !== LEDGER_SCHEMA) {
    throw new RecordError([`ledger schema must be "${LEDGER_SCHEMA}"`]);
  }
  if (!Array.isArray(list))
    throw new RecordError(['the ledger must be an array of records or hold one in "released"']);
  const released: TableRecord[] = [];
  list.forEach((item, i) => {
    try {
      const record = validateRecord(item);
      if (record.type === 'table') released.push(record as TableRecord);
    } catch (error: unknown) {
      if (error instanceof RecordError)
        throw new RecordError(error.problems.map((p) => `released[${i}].${p}`));
      throw error;
    }
  });
  return { released };
}
