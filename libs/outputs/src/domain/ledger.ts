import type { Ledger, SdcRecord, TableRecord } from '@tre/sdc';

/**
 * Tables on the same variables, either way round, share a key: only they can be differenced against each
 * other cell by cell, so the ledger is looked up by it rather than read whole.
 */
export function variablesKey(record: TableRecord): string {
  return [record.table.rowVars.join('\u001f'), record.table.colVars.join('\u001f')].sort().join('\u001e');
}

export interface LedgerTable {
  /** Where it came from, for the researcher: e.g. `deaths.csv (released 2026-11-21)`. */
  readonly source: string;
  readonly record: TableRecord;
}

export interface SiblingFile {
  readonly fileName: string;
  readonly record: SdcRecord | null;
}

/**
 * The ledger one file is differenced against: the project's released tables, and the other tables of the
 * same request (two tables submitted together can be subtracted as easily as one submitted after another).
 * Each gets an id naming its source, so the engine's flags say which table the cell differs from, and no
 * released table is skipped for sharing the new one's id.
 */
export function ledgerForFile(
  released: readonly LedgerTable[],
  siblings: readonly SiblingFile[],
  fileName: string,
): Ledger {
  const tables: TableRecord[] = released.map((t) => ({ ...t.record, id: t.source }));
  for (const sibling of siblings) {
    if (sibling.fileName === fileName || sibling.record?.type !== 'table') continue;
    tables.push({ ...(sibling.record as TableRecord), id: `${sibling.fileName} in this request` });
  }
  return { released: tables };
}
