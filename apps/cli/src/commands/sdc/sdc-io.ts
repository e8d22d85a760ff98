import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  CsvError,
  CsvTableReader,
  DEFAULT_RULE_SET,
  parseCsv,
  parseRuleSet,
  type RuleSet,
  RuleSetError,
  type StatTable,
  TableInputError,
  type TableSpec,
} from '@tre/sdc';
import { CliUsageError } from '../../cli-errors';

/** The engine's input errors are the caller's mistakes: exit 2 with the engine's one-line reason. */
export function asUsageError(error: unknown, file?: string): unknown {
  const where = file === undefined ? '' : `${file}: `;
  if (error instanceof TableInputError || error instanceof CsvError || error instanceof RuleSetError) {
    return new CliUsageError(`${where}${error.message}`);
  }
  if (isFsError(error)) {
    const why =
      error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.code;
    return new CliUsageError(`cannot read ${file ?? 'file'}: ${why}`);
  }
  return error;
}

// Checked by shape rather than instanceof: errors raised inside Node itself may come from another realm.
function isFsError(error: unknown): error is { code: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

/** Streams a CSV file into a table with a fixed-size read buffer, so memory follows cells, not records. */
export async function readCsvTable(file: string, spec: (header: string[]) => TableSpec): Promise<StatTable> {
  try {
    const reader = new CsvTableReader(spec);
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const chunk of stream) reader.push(chunk as string);
    return reader.finish();
  } catch (error: unknown) {
    throw asUsageError(error, file);
  }
}

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw asUsageError(error, file);
  }
}

export async function readCsvRecords(file: string): Promise<string[][]> {
  const text = await readText(file);
  try {
    return parseCsv(text);
  } catch (error: unknown) {
    throw asUsageError(error, file);
  }
}

export async function readJson(file: string, what: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(`${file}: the ${what} is not valid JSON (${reason})`);
  }
}

export async function loadRules(file: string | undefined): Promise<RuleSet> {
  if (file === undefined) return DEFAULT_RULE_SET;
  const input = await readJson(file, 'rule set');
  try {
    return parseRuleSet(input);
  } catch (error: unknown) {
    throw asUsageError(error, file);
  }
}

/**
 * Splits `--rows A,B` into variables. A name that is itself a column is taken whole, so a column called
 * "a,b" still works; otherwise the list is read as one CSV record, so names may be quoted.
 */
export function splitVariables(text: string, header: readonly string[]): string[] {
  if (header.includes(text)) return [text];
  const [fields] = parseCsv(text);
  if (!fields || fields.length === 0) throw new CliUsageError(`no variable named in ${JSON.stringify(text)}`);
  return fields.map((name) => (header.includes(name) || !header.includes(name.trim()) ? name : name.trim()));
}
