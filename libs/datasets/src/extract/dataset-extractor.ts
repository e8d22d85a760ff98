import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { PersonGroups, Pseudonymiser, ResidualScanReport } from '../safe-data';
import type { ColumnPlan } from './column-plan';
import { CsvFileWriter } from './csv-file-writer';
import {
  DatasetReleaser,
  type DatasetCounts,
  type OptedOutPeople,
  type OptOutCheck,
} from './dataset-releaser';
import type { RowSample } from './pseudonym-sample';
import { quoteIdentifier } from './source-copy';

export type { DatasetCounts, OptOutCheck } from './dataset-releaser';

export interface DatasetExtractResult {
  readonly counts: DatasetCounts;
  readonly file: { rows: number; sha256: string; bytes: number; headerBytes: number };
  readonly scan: ResidualScanReport;
}

export interface DatasetExtractInput {
  readonly client: Client;
  readonly schema: string;
  readonly table: string;
  readonly plan: ColumnPlan;
  readonly optOuts: readonly OptOutCheck[];
  readonly pseudonymiser: Pseudonymiser;
  readonly outputPath: string;
  /** Called every PROGRESS_ROWS source rows or so, with rows read so far. */
  readonly onProgress?: (rowsRead: number) => Promise<void>;
  /** Draws the rows whose written pseudonyms the gate checks. */
  readonly sample?: RowSample;
  /** The extract's groups of people (k-anonymity across datasets) and this dataset's tag among them. */
  readonly people?: { readonly groups: PersonGroups; readonly tag: number };
  /** The extract-wide count of people each opt-out list removed. */
  readonly optedOutPeople?: OptedOutPeople;
}

const PROGRESS_ROWS = 50_000;

/**
 * Extracts one dataset in a single streaming pass over `COPY (SELECT ...) TO STDOUT`: the fastest way out of
 * Postgres, read chunk by chunk with backpressure, so memory holds a network chunk and a CSV buffer however
 * large the source. DatasetReleaser does the per-row work; this writes its CSV bytes and reports progress.
 */
export async function extractDataset(input: DatasetExtractInput): Promise<DatasetExtractResult> {
  const { plan } = input;
  const columns = plan.sourceColumns.map(quoteIdentifier).join(', ');
  // Unordered on purpose: an index-ordered read costs three times a sequential one, and a person's rows
  // stored together are still read once (the releaser remembers the last identifier).
  const sql = `SELECT ${columns} FROM ${quoteIdentifier(input.schema)}.${quoteIdentifier(input.table)}`;
  const releaser = new DatasetReleaser({
    plan,
    optOuts: input.optOuts,
    pseudonymiser: input.pseudonymiser,
    sample: input.sample,
    people: input.people,
    optedOutPeople: input.optedOutPeople,
  });
  const writer = new CsvFileWriter(input.outputPath, ['pseudonym', ...plan.outputColumns.map((c) => c.name)]);
  let reported = 0;
  const recycle = (chunk: Buffer): void => releaser.csv.recycle(chunk);
  try {
    const stream = input.client.query(copyTo(`COPY (${sql}) TO STDOUT`));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      releaser.push(chunk);
      const full = releaser.csv.take(false);
      if (full.length) await writer.writeBytes(full, recycle);
      if (releaser.counts.sourceRows - reported >= PROGRESS_ROWS) {
        reported = releaser.counts.sourceRows;
        await input.onProgress?.(reported);
      }
    }
    releaser.finish();
    await writer.writeBytes(releaser.csv.take(true));
  } catch (error: unknown) {
    // Close the file either way, so a failed extract leaves nothing open in its scratch directory.
    await writer.close().catch(() => undefined);
    throw error;
  }
  const { sha256, bytes } = await writer.close();
  return {
    counts: releaser.counts,
    file: { rows: releaser.counts.delivered, sha256, bytes, headerBytes: writer.headerBytes },
    scan: releaser.scanner.report(),
  };
}
