import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, ValidationError } from '@tre/core';
import { EDITABLE_OUTPUT_STATUSES } from '../domain/output-status';
import { sniffOutputFile } from '../domain/sniff';
import { OutputFileEntity, type OutputProvenance } from '../entities/output-file.entity';
import { OutputRequestEntity } from '../entities/output-request.entity';
import { parseRecord } from '../services/output-request.service';
import { OUTPUTS_SETTINGS, type OutputsSettings } from '../services/outputs-config';
import { ObjectStore, sha256Of } from '../store/object-store';
import { CollectGrantEntity, type CollectItem, type CollectItemResult } from './collect-grant.entity';
import { COLLECTOR_ACTOR, CollectGrantsService, denialOf, scopeOf } from './collect-grants.service';

export const MAX_RECORD_BYTES = 1_048_576;
const SHA256 = /^[0-9a-f]{64}$/;

/** What the collector is asked to collect. */
export interface CollectPlan {
  readonly requestId: string;
  readonly maxFileBytes: number;
  readonly maxRecordBytes: number;
  readonly items: { readonly index: number; readonly path: string; readonly recordPath: string | null }[];
}

/** Bytes the collector sent for one item, with the SHA-256 it computed where it read them. */
export interface IntakeBytes {
  readonly content: Buffer;
  readonly sha256: string;
  readonly modifiedAt?: string;
}

/** A refusal that belongs to one item: recorded as its result, and answered 400 to the collector. */
class ItemRefused extends ValidationError {}

/**
 * The airlock's intake: the only way output bytes enter a request. It takes them from the collector of one
 * request (a collect token, never a person's), checks them again (SHA-256 as sent, size, type), stores them
 * content-addressed and records their provenance. A refused item is recorded with its reason; nothing of it
 * is stored in the request.
 */
@Injectable()
export class OutputIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly store: ObjectStore,
    private readonly grants: CollectGrantsService,
  ) {}

  get maxFileBytes(): number {
    return this.settings.maxFileBytes;
  }

  plan(grant: CollectGrantEntity): CollectPlan {
    this.assertStarted(grant);
    if (!grant.requestId) throw new DomainError('unauthenticated', 'a listing grant collects no files');
    return {
      requestId: grant.requestId,
      maxFileBytes: this.settings.maxFileBytes,
      maxRecordBytes: MAX_RECORD_BYTES,
      items: grant.items.map((item, index) => ({ index, path: item.path, recordPath: item.recordPath })),
    };
  }

  async record(grant: CollectGrantEntity, index: number, bytes: IntakeBytes): Promise<void> {
    const item = this.item(grant, index);
    await this.refusingItem(grant.id, index, async () => {
      if (!item.recordPath) throw new ItemRefused(`${item.path} was added without a record`);
      if (bytes.content.length > MAX_RECORD_BYTES)
        throw new ItemRefused(`the record ${item.recordPath} is over ${MAX_RECORD_BYTES} bytes`);
      this.verify(bytes, item.recordPath);
      parseRecord(item.path, bytes.content.toString('utf8'));
      const sha256 = await this.store.put(bytes.content);
      await this.withLiveGrant(grant.id, async (manager, live) => {
        await manager.update(
          CollectGrantEntity,
          { id: live.id },
          { pendingRecords: { ...live.pendingRecords, [String(index)]: sha256 } },
        );
      });
    });
  }

  async file(grant: CollectGrantEntity, index: number, bytes: IntakeBytes): Promise<CollectItemResult> {
    const item = this.item(grant, index);
    return this.refusingItem(grant.id, index, async () => {
      if (bytes.content.length > this.settings.maxFileBytes)
        throw new ItemRefused(`${item.path} is over the limit of ${this.settings.maxFileBytes} bytes`);
      this.verify(bytes, item.path);
      const sniffed = sniffOutputFile(item.path.split('/').pop() ?? item.path, bytes.content);
      if (!sniffed.ok) throw new ItemRefused(sniffed.reason);
      return this.withLiveGrant(grant.id, async (manager, live) => {
        this.assertStarted(live);
        const recordSha = live.pendingRecords[String(index)] ?? null;
        if (item.recordPath && !recordSha)
          throw new ItemRefused(`the record ${item.recordPath} was not received before the file`);
        const record = recordSha
          ? parseRecord(item.path, (await this.store.get(recordSha)).toString('utf8'))
          : null;
        if (!live.requestId) throw new DomainError('unauthenticated', 'a listing grant collects no files');
        const request = await manager.findOne(OutputRequestEntity, {
          where: { id: live.requestId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!request) throw new DomainError('not_found', 'The output request no longer exists');
        if (!EDITABLE_OUTPUT_STATUSES.includes(request.status))
          throw new ItemRefused(
            `the request is ${request.status}: files are added only while it is a draft, blocked or returned`,
          );
        const existing = await manager.findOneBy(OutputFileEntity, {
          requestId: request.id,
          fileName: item.path,
        });
        if (
          !existing &&
          (await manager.countBy(OutputFileEntity, { requestId: request.id })) >= this.settings.maxFiles
        )
          throw new ItemRefused(`a request holds at most ${this.settings.maxFiles} files`);
        const sha256 = await this.store.put(bytes.content);
        // Adding a path again is a new version of the file: the old row (and its reviews) goes.
        if (existing) await manager.delete(OutputFileEntity, { id: existing.id });
        const provenance: OutputProvenance = {
          source: 'workspace-outputs',
          ...live.origin,
          grantId: live.id,
          path: item.path,
          sizeBytes: bytes.content.length,
          sha256,
          modifiedAt: bytes.modifiedAt ?? null,
          recordPath: item.recordPath,
          recordSha256: recordSha,
          collectedAt: new Date().toISOString(),
        };
        const saved = await manager.save(
          manager.create(OutputFileEntity, {
            requestId: request.id,
            fileName: item.path,
            mediaType: sniffed.mediaType,
            sizeBytes: bytes.content.length,
            sha256,
            record,
            provenance,
            context: item.context,
            controls: item.controls,
          }),
        );
        const result: CollectItemResult = {
          status: 'stored',
          fileId: saved.id,
          sha256,
          sizeBytes: bytes.content.length,
        };
        await this.setResult(manager, live, index, result);
        await this.grants.record(
          manager,
          existing ? 'output.file_replaced' : 'output.file_collected',
          live,
          COLLECTOR_ACTOR,
          {
            fileId: saved.id,
            file: item.path,
            sha256,
            bytes: bytes.content.length,
            hasRecord: record !== null,
            requestedBy: live.requestedBy,
            workspaceId: live.origin.workspaceId,
          },
        );
        return result;
      });
    });
  }

  /** The collector could not take this item (a path rule, the sniffer): its reason is the item's result. */
  async failure(grant: CollectGrantEntity, index: number, reason: string): Promise<void> {
    this.item(grant, index);
    await this.withLiveGrant(grant.id, (manager, live) =>
      this.setResult(manager, live, index, { status: 'failed', reason: reason.slice(0, 500) }),
    );
  }

  /** Spends the grant; an item the collector never reported is failed. Answers every item's result. */
  async complete(grant: CollectGrantEntity): Promise<CollectItemResult[]> {
    return this.withLiveGrant(grant.id, async (manager, live) => {
      const results = live.items.map(
        (_item, i): CollectItemResult =>
          live.results[String(i)] ?? { status: 'failed', reason: 'the collector did not report this file' },
      );
      await manager.update(
        CollectGrantEntity,
        { id: live.id },
        { spentAt: new Date(), results: Object.fromEntries(results.map((r, i) => [String(i), r])) },
      );
      await this.grants.record(manager, 'output.collect_completed', live, COLLECTOR_ACTOR, {
        stored: results.filter((r) => r.status === 'stored').length,
        failed: results.filter((r) => r.status === 'failed').length,
      });
      return results;
    });
  }

  /**
   * A collector Job's grant is issued before the Job exists; until the worker has recorded the Job's uid in the
   * grant's provenance the collector is told to wait (503: it retries), so every stored file names its Job.
   */
  assertStarted(grant: CollectGrantEntity): void {
    if (grant.origin.runner === 'kubernetes' && !grant.origin.jobUid)
      throw new DomainError('unavailable', 'the collection is being started; try again shortly');
  }

  private item(grant: CollectGrantEntity, index: number): CollectItem {
    const item = Number.isInteger(index) ? grant.items[index] : undefined;
    if (!item) throw new ValidationError(`this collection has no item ${index}`);
    return item;
  }

  private verify(bytes: IntakeBytes, what: string): void {
    if (!SHA256.test(bytes.sha256)) throw new ItemRefused(`the collector sent ${what} without its SHA-256`);
    const got = sha256Of(bytes.content);
    if (got !== bytes.sha256)
      throw new ItemRefused(`${what} arrived as sha256 ${got}, not the ${bytes.sha256} the collector read`);
  }

  /** Runs `work`; an item refusal is recorded as the item's result (in its own transaction) and rethrown. */
  private async refusingItem<T>(grantId: string, index: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error: unknown) {
      // A refusal of this item (ItemRefused, or a record that does not parse): the item's result.
      if (error instanceof ValidationError)
        await this.withLiveGrant(grantId, (manager, live) =>
          this.setResult(manager, live, index, { status: 'failed', reason: error.message.slice(0, 500) }),
        ).catch(() => undefined);
      throw error;
    }
  }

  private async withLiveGrant<T>(
    grantId: string,
    work: (manager: EntityManager, grant: CollectGrantEntity) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const grant = await manager.findOne(CollectGrantEntity, {
        where: { id: grantId },
        lock: { mode: 'pessimistic_write' },
      });
      const denial = grant ? denialOf(grant, scopeOf(grant)) : 'unknown';
      if (!grant || denial)
        throw new DomainError('unauthenticated', `The collect token is not valid here (${denial})`);
      return work(manager, grant);
    });
  }

  private async setResult(
    manager: EntityManager,
    grant: CollectGrantEntity,
    index: number,
    result: CollectItemResult,
  ): Promise<void> {
    await manager.query(
      `UPDATE "output_collect_grants" SET "results" = "results" || jsonb_build_object($2::text, $3::jsonb) WHERE "id" = $1`,
      [grant.id, String(index), JSON.stringify(result)],
    );
  }
}
