import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import type { AuthenticatedUser } from '@tre/auth';
import { ConflictError, ForbiddenError, NotFoundError, Outbox } from '@tre/core';
import { RegisterService } from '@tre/projects';
import type { TableRecord } from '@tre/sdc';
import { checkerCopy } from '../domain/checker-copy';
import { previewOf, type FilePreview } from '../domain/file-preview';
import { variablesKey } from '../domain/ledger';
import {
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  MANIFEST_VERSION,
  manifestBytes,
  type ReleaseManifest,
} from '../domain/manifest';
import { OutputDownloadLinkEntity } from '../entities/output-download-link.entity';
import { OutputFileEntity } from '../entities/output-file.entity';
import { OutputLedgerTableEntity } from '../entities/output-ledger-table.entity';
import { OutputReleaseEntity } from '../entities/output-release.entity';
import type { OutputRequestEntity } from '../entities/output-request.entity';
import type { OutputReviewEntity } from '../entities/output-review.entity';
import { ObjectStore } from '../store/object-store';
import { assertActiveMember, assertChecker } from './output-access';
import { OUTPUTS_SETTINGS, type OutputsSettings } from './outputs-config';
import { OutputLifecycle } from './output-lifecycle';

export interface DownloadLink {
  readonly fileName: string;
  readonly sha256: string;
  readonly url: string;
  readonly expiresAt: string;
}

export interface FileContent {
  readonly fileName: string;
  readonly mediaType: string;
  /** SHA-256 of the file as stored, checked and released. */
  readonly sha256: string;
  /** The bytes served: the stored ones, or a checker's neutralised copy (`servedSha256` then differs). */
  readonly content: Buffer;
  readonly servedSha256: string;
  readonly neutralisedCells: number;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Bytes the retention policy deleted are gone for good: said plainly, not a 500 from a missing file. */
const deletedByRetention = (at: Date): ConflictError =>
  new ConflictError(`The files were deleted under the retention policy on ${at.toISOString().slice(0, 10)}`);

/** Releases, the ledger they feed, and the only ways bytes leave: checkers' previews and members' one-time links. */
@Injectable()
export class OutputReleaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly store: ObjectStore,
    private readonly lifecycle: OutputLifecycle,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly register: RegisterService,
  ) {}

  /**
   * Releases an approved request inside the deciding transaction: a manifest of the approved files (their
   * SHA-256, the rules, the check results, every checker's decision) stored by its own SHA-256, the released
   * tables added to the project's ledger, and the public register's count raised.
   */
  async release(
    manager: EntityManager,
    request: OutputRequestEntity,
    files: readonly OutputFileEntity[],
    reviews: readonly OutputReviewEntity[],
  ): Promise<OutputReleaseEntity> {
    const approved = files.filter((f) => f.decision === 'approved');
    const releasedAt = new Date();
    const manifest: ReleaseManifest = {
      schema: MANIFEST_SCHEMA,
      version: MANIFEST_VERSION,
      requestId: request.id,
      projectId: request.projectId,
      round: request.round,
      releasedAt: releasedAt.toISOString(),
      rules: this.settings.rulesIdentity,
      reviewsRequired: this.settings.reviewsRequired,
      files: approved.map((f) => ({
        fileName: f.fileName,
        mediaType: f.mediaType,
        sizeBytes: f.sizeBytes,
        sha256: f.sha256,
        decision: f.decision,
        conflicted: f.conflicted,
        check: {
          status: f.checkResult?.status ?? 'manual',
          message: f.checkResult?.message ?? '',
          recordType: f.checkResult?.recordType ?? null,
          publishedTable: f.checkResult?.publishedTable ?? null,
          suppressedCells: f.checkResult?.suppressedCells ?? 0,
          evidence: f.checkResult?.evidence ?? null,
          flags: f.checkResult?.flags.length ?? 0,
          formulaCells: f.checkResult?.flags.filter((x) => x.rule === 'formula_cell').length ?? 0,
        },
        provenance: f.provenance,
        context: f.context,
        controls: f.controls,
        reviews: reviews
          .filter((r) => r.fileId === f.id)
          .map((r) => ({
            checkerId: r.checkerId,
            vote: r.vote,
            comment: r.comment,
            at: r.createdAt.toISOString(),
          })),
      })),
    };
    const bundleSha256 = await this.store.put(manifestBytes(manifest));
    const release = await manager.save(
      manager.create(OutputReleaseEntity, {
        requestId: request.id,
        projectId: request.projectId,
        bundleSha256,
        manifest,
        releasedAt,
      }),
    );
    const tables = approved.filter((f) => f.record?.type === 'table');
    if (tables.length)
      await manager.insert(
        OutputLedgerTableEntity,
        tables.map((f) => {
          const record = f.record as TableRecord;
          return {
            projectId: request.projectId,
            releaseId: release.id,
            tableKey: record.id ?? f.fileName,
            variablesKey: variablesKey(record),
            record,
            releasedAt,
          };
        }),
      );
    await this.register.recordOutputsReleased(manager, request.projectId, approved.length);
    await this.lifecycle.transition(manager, request, 'release', {
      releaseId: release.id,
      bundleSha256,
      files: approved.length,
      ledgerTables: tables.length,
    });
    await this.outbox.record(
      manager,
      'output.released',
      { type: 'output_request', id: request.id },
      { requestId: request.id, releaseId: release.id },
    );
    return release;
  }

  /** One-time, short-lived links to every file of a release and its manifest, for a member of the project. */
  async createLinks(
    user: AuthenticatedUser,
    requestId: string,
  ): Promise<{ releaseId: string; bundleSha256: string; links: DownloadLink[] }> {
    return this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.load(manager, requestId, user);
      assertActiveMember(project, user, requestId, 'download outputs');
      const release = await manager.findOneBy(OutputReleaseEntity, { requestId });
      if (request.status !== 'released' || !release)
        throw new ConflictError(`The request is ${request.status}: only released outputs can be downloaded`);
      if (release.filesDeletedAt) throw deletedByRetention(release.filesDeletedAt);
      const expiresAt = new Date(Date.now() + this.settings.linkTtlSeconds * 1000);
      const entries = [
        ...release.manifest.files.map((f) => ({
          fileName: f.fileName,
          sha256: f.sha256,
          mediaType: f.mediaType,
        })),
        { fileName: MANIFEST_FILE, sha256: release.bundleSha256, mediaType: 'application/json' },
      ];
      const links: DownloadLink[] = [];
      for (const entry of entries) {
        const token = randomBytes(32).toString('base64url');
        await manager.insert(OutputDownloadLinkEntity, {
          releaseId: release.id,
          userId: user.id,
          ...entry,
          tokenSha256: tokenHash(token),
          expiresAt,
        });
        links.push({
          fileName: entry.fileName,
          sha256: entry.sha256,
          url: `/output-downloads/${token}`,
          expiresAt: expiresAt.toISOString(),
        });
      }
      await this.audit.append(manager, {
        action: 'output.links_issued',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { releaseId: release.id, links: links.length, expiresAt: expiresAt.toISOString() },
      });
      return { releaseId: release.id, bundleSha256: release.bundleSha256, links };
    });
  }

  /** Spends a link: it works once, before it expires; the download is audited as the member who asked. */
  async download(token: string): Promise<FileContent> {
    return this.dataSource.transaction(async (manager) => {
      const link = await manager.findOne(OutputDownloadLinkEntity, {
        where: { tokenSha256: tokenHash(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!link) throw new NotFoundError('Download link', 'given');
      if (link.usedAt)
        throw new ForbiddenError('This download link has been used already: ask for a new one');
      if (link.expiresAt.getTime() < Date.now())
        throw new ForbiddenError('This download link has expired: ask for a new one');
      const release = await manager.findOneByOrFail(OutputReleaseEntity, { id: link.releaseId });
      if (release.filesDeletedAt) throw deletedByRetention(release.filesDeletedAt);
      const content = await this.store.get(link.sha256);
      await manager.update(OutputDownloadLinkEntity, { id: link.id }, { usedAt: new Date() });
      await this.audit.append(manager, {
        action: 'output.downloaded',
        subjectType: 'output_request',
        subjectId: release.requestId,
        actorId: link.userId,
        details: {
          releaseId: link.releaseId,
          file: link.fileName,
          sha256: link.sha256,
          bytes: content.length,
        },
      });
      // Released bytes are served exactly as checked and listed in the manifest, so their SHA-256 holds.
      return {
        fileName: link.fileName,
        mediaType: link.mediaType,
        sha256: link.sha256,
        content,
        servedSha256: link.sha256,
        neutralisedCells: 0,
      };
    });
  }

  /** Checkers read a file under review; nobody else reads an unreleased file. Audited. */
  async fileForChecker(user: AuthenticatedUser, requestId: string, fileId: string): Promise<FileContent> {
    const { file, content } = await this.readForChecker(user, requestId, fileId, 'download');
    const copy = checkerCopy(file.fileName, file.mediaType, content);
    return {
      fileName: file.fileName,
      mediaType: copy.mediaType,
      sha256: file.sha256,
      content: copy.content,
      servedSha256: copy.sha256,
      neutralisedCells: copy.neutralisedCells,
    };
  }

  /** What the checker's page shows of a file with no table record (bounded); read as a download is. */
  async previewForChecker(user: AuthenticatedUser, requestId: string, fileId: string): Promise<FilePreview> {
    const { file, content } = await this.readForChecker(user, requestId, fileId, 'preview');
    return previewOf(file.fileName, content);
  }

  /** A file under review, its bytes as stored, with its read audited (`how`: downloaded or shown in the page). */
  private async readForChecker(
    user: AuthenticatedUser,
    requestId: string,
    fileId: string,
    how: 'download' | 'preview',
  ): Promise<{ file: OutputFileEntity; content: Buffer }> {
    return this.dataSource.transaction(async (manager) => {
      const { request, project } = await this.lifecycle.load(manager, requestId, user);
      assertChecker(project, user, 'read');
      if (request.status === 'draft') throw new NotFoundError('Output request', requestId);
      const file = await manager.findOneBy(OutputFileEntity, { id: fileId, requestId });
      if (!file) throw new NotFoundError('File', fileId);
      if (file.deletedAt) throw deletedByRetention(file.deletedAt);
      const content = await this.store.get(file.sha256);
      await this.audit.append(manager, {
        action: 'output.file_read',
        subjectType: 'output_request',
        subjectId: requestId,
        details: { fileId, sha256: file.sha256, round: request.round, how },
      });
      return { file, content };
    });
  }
}
