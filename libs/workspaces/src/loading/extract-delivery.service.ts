import type { ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@tre/core';
import { ExtractQueryService, type DeliveredFile, type ExtractEntity } from '@tre/datasets';
import type { LoadGrantEntity } from './load-grant.entity';
import { LoadGrantsService } from './load-grants.service';
import type { LoadReport } from './load-token-issuer';

/** One file as the loader must find it once written: its name, size and SHA-256. */
export interface LoadManifestFile {
  dataset: string;
  file: string;
  rows: number;
  sha256: string;
  bytes: number;
}

/** What the loader is given: the files to fetch and check, and the extract's own manifest to keep beside them. */
export interface LoadManifest {
  workspaceId: string;
  projectId: string;
  extractId: string;
  files: LoadManifestFile[];
  manifest: Record<string, unknown>;
}

export interface DeliveredStream {
  file: LoadManifestFile;
  /** Bytes in the store now (what is sent); the loader compares them with the manifest's. */
  size: number;
  stream: ReadStream;
}

/**
 * Serves the extract a grant names, and nothing else: its manifest as recorded in the database when it was
 * built (so a file changed in the store since then fails the loader's check), and the files that manifest lists.
 */
@Injectable()
export class ExtractDeliveryService {
  constructor(
    private readonly extracts: ExtractQueryService,
    private readonly grants: LoadGrantsService,
  ) {}

  async manifest(grant: LoadGrantEntity): Promise<LoadManifest> {
    const extract = await this.readyExtract(grant);
    const files = await Promise.all(
      this.extracts.deliveredFiles(extract).map((entry) => this.describe(extract, entry)),
    );
    return {
      workspaceId: grant.workspaceId,
      projectId: grant.projectId,
      extractId: extract.id,
      files,
      manifest: extract.manifest ?? {},
    };
  }

  async open(grant: LoadGrantEntity, fileName: string): Promise<DeliveredStream> {
    const extract = await this.readyExtract(grant);
    const entry = this.extracts.deliveredFiles(extract).find((candidate) => candidate.file === fileName);
    if (!entry) throw new NotFoundError('file of extract', `${extract.id}/${fileName}`);
    const file = await this.describe(extract, entry);
    // Opened before the response starts, so a file missing from the store fails the request, not mid-stream.
    const handle = await open(this.path(extract, entry.file), 'r');
    const { size } = await handle.stat();
    return { file, size, stream: handle.createReadStream() };
  }

  /** Ends the grant with the loader's report, which must account for every file and byte of the manifest. */
  async complete(
    grant: LoadGrantEntity,
    report: { filesVerified: number; bytes: number },
  ): Promise<LoadReport> {
    const { files } = await this.manifest(grant);
    const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
    if (report.filesVerified !== files.length || report.bytes !== bytes)
      throw new ConflictError(
        `The report (${report.filesVerified} files, ${report.bytes} bytes) does not match the manifest ` +
          `(${files.length} files, ${bytes} bytes): the load is not complete`,
      );
    return this.grants.complete(grant.id, report);
  }

  private async describe(extract: ExtractEntity, entry: DeliveredFile): Promise<LoadManifestFile> {
    return {
      dataset: entry.dataset,
      file: entry.file,
      rows: entry.rows,
      sha256: entry.sha256,
      // Extracts built before sizes were recorded: the size in the store; the hash still decides.
      bytes: entry.bytes ?? (await stat(this.path(extract, entry.file))).size,
    };
  }

  private async readyExtract(grant: LoadGrantEntity): Promise<ExtractEntity> {
    const extract = await this.extracts.findById(grant.extractId);
    if (!extract || extract.projectId !== grant.projectId)
      throw new NotFoundError('extract', grant.extractId);
    if (extract.status !== 'ready')
      throw new ConflictError(
        `Extract ${extract.id} is ${extract.status}: only a ready extract can be loaded`,
      );
    return extract;
  }

  private path(extract: ExtractEntity, fileName: string): string {
    const path = this.extracts.deliveredPath(extract, fileName);
    if (!path) throw new NotFoundError('file of extract', `${extract.id}/${fileName}`);
    return path;
  }
}
