import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { CsvTableReader, toGrid, type Grid, type SdcRecord, type TableRecord } from '@tre/sdc';
import type { FileFlag } from '../domain/check-file';
import { compareWithExtract, DERIVED, VERIFIED, type ExtractEvidence } from '../domain/extract-verification';

interface ExtractFile {
  readonly extractId: string;
  readonly file: string;
  readonly sha256: string;
  readonly path: string;
}

/**
 * Verification against the extract: when a table's record names as its source (`source.sha256`, written by
 * `tre sdc table`) a file of the project's extract, the table is rebuilt here from the service's own copy
 * of that file, with the record's variables and aggregation, and compared cell by cell. Otherwise the record
 * is the researcher's word about derived data, and checkers are told so.
 */
@Injectable()
export class ExtractEvidenceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Null for a file without a table record: there is nothing to rebuild. */
  async evidence(
    projectId: string,
    record: SdcRecord | null,
  ): Promise<{ evidence: ExtractEvidence; flags: FileFlag[] } | null> {
    if (record?.type !== 'table') return null;
    const table = record as TableRecord;
    const sha256 = table.source?.sha256;
    const file = sha256 ? await this.extractFile(projectId, sha256) : undefined;
    if (!file)
      return {
        evidence: {
          kind: 'derived',
          message: sha256
            ? `${DERIVED} (its source, sha256 ${sha256}, is no file of the project's extract)`
            : `${DERIVED} (it names no source file)`,
          source: null,
        },
        flags: [],
      };
    const source = { extractId: file.extractId, file: file.file, sha256: file.sha256 };
    const rebuilt = await this.rebuild(file, table);
    const flags = 'problem' in rebuilt ? [problemFlag(rebuilt.problem)] : compareWithExtract(table, rebuilt);
    return flags.length === 0
      ? { evidence: { kind: 'verified', message: `${VERIFIED} (${file.file})`, source }, flags }
      : {
          evidence: {
            kind: 'mismatch',
            message: `rebuilt from the extract (${file.file}), the table is not the one its record describes`,
            source,
          },
          flags,
        };
  }

  /** A file of one of the project's ready extracts with that SHA-256, by its manifest. */
  private async extractFile(projectId: string, sha256: string): Promise<ExtractFile | undefined> {
    const rows = await this.dataSource.query<{ id: string; manifest: { files?: unknown } | null }[]>(
      `SELECT id, manifest FROM extracts WHERE project_id = $1 AND status = 'ready' ORDER BY created_at DESC, id`,
      [projectId],
    );
    for (const row of rows) {
      const files = Array.isArray(row.manifest?.files) ? (row.manifest.files as unknown[]) : [];
      for (const entry of files) {
        const { file, sha256: hash } = (entry ?? {}) as { file?: unknown; sha256?: unknown };
        // Only plain names the manifest lists: no path reaches outside the extract's folder.
        if (hash !== sha256 || typeof file !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file))
          continue;
        return {
          extractId: row.id,
          file,
          sha256,
          path: join(this.config.extractStoreDir, projectId, row.id, file),
        };
      }
    }
    return undefined;
  }

  /** The table rebuilt from the stored file, which must still hash to what its manifest says. */
  private async rebuild(file: ExtractFile, record: TableRecord): Promise<Grid | { problem: string }> {
    const t = record.table;
    const hash = createHash('sha256');
    try {
      const reader = new CsvTableReader({
        rowVars: t.rowVars,
        colVars: t.colVars,
        ...(t.valueVar ? { valueVar: t.valueVar } : {}),
        agg: t.agg,
      });
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of createReadStream(file.path, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        reader.push(decoder.decode(chunk as Buffer, { stream: true }));
      }
      reader.push(decoder.decode());
      const table = reader.finish();
      if (hash.digest('hex') !== file.sha256)
        return { problem: `the service's copy of ${file.file} no longer hashes to its manifest's SHA-256` };
      return toGrid(table, t.margins);
    } catch (error: unknown) {
      return {
        problem: `the table cannot be rebuilt from ${file.file} with the record's variables: ${
          error instanceof Error ? error.message : String(error)
        }`,
      };
    }
  }
}

function problemFlag(reason: string): FileFlag {
  return {
    rule: 'extract_verification',
    outcome: 'fail',
    row: null,
    col: null,
    cell: null,
    published: true,
    reason,
  };
}
