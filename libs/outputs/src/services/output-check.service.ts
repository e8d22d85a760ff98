import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { SYSTEM_ACTOR } from '@tre/audit';
import type { TableRecord } from '@tre/sdc';
import {
  blockingRules,
  checkOutputFile,
  requestBlocked,
  withEvidence,
  type FileCheckResult,
} from '../domain/check-file';
import { ledgerForFile, variablesKey, type LedgerTable } from '../domain/ledger';
import { kindOfName } from '../domain/sniff';
import { OutputFileEntity } from '../entities/output-file.entity';
import { OutputLedgerTableEntity } from '../entities/output-ledger-table.entity';
import { OutputRequestEntity } from '../entities/output-request.entity';
import { ObjectStore } from '../store/object-store';
import { OUTPUTS_SETTINGS, type OutputsSettings } from './outputs-config';
import { ExtractEvidenceService } from './extract-evidence.service';
import { OutputLifecycle } from './output-lifecycle';

export type CheckProgress = (percent: number, step: string) => Promise<void>;

/**
 * The automated checks of one submission: each file's record through the disclosure-control engine, its
 * published table against its record, its tables against the project's ledger and each other. Any fail blocks
 * the request; otherwise it goes to the output checkers. Safe to run twice: a round already decided is left.
 */
@Injectable()
export class OutputCheckService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTPUTS_SETTINGS) private readonly settings: OutputsSettings,
    private readonly store: ObjectStore,
    private readonly lifecycle: OutputLifecycle,
    private readonly extracts: ExtractEvidenceService,
  ) {}

  async check(
    requestId: string,
    round: number,
    progress: CheckProgress,
  ): Promise<'blocked' | 'in_review' | 'skipped'> {
    const started = await this.dataSource.transaction(async (manager) => {
      const request = await manager.findOne(OutputRequestEntity, {
        where: { id: requestId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!request || request.round !== round) return null;
      if (request.status === 'submitted')
        await this.lifecycle.transition(manager, request, 'start_check', {}, SYSTEM_ACTOR.worker);
      return request.status === 'checking' ? request : null;
    });
    if (!started) return 'skipped';
    const files = await this.dataSource.getRepository(OutputFileEntity).find({
      where: { requestId },
      order: { fileName: 'ASC' },
    });
    const released = await this.releasedTables(started.projectId, files);
    const results = new Map<string, FileCheckResult>();
    for (const [i, file] of files.entries()) {
      const result =
        file.checkState === 'done' && file.checkResult
          ? file.checkResult
          : await this.checkFile(started.projectId, file, files, released);
      results.set(file.fileName, result);
      await progress(Math.round(((i + 1) / files.length) * 100), `checked ${file.fileName}`);
    }
    return this.dataSource.transaction(async (manager) => {
      const request = await manager.findOne(OutputRequestEntity, {
        where: { id: requestId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!request || request.round !== round || request.status !== 'checking') return 'skipped';
      const all = [...results.values()];
      const failed = [...results.entries()].filter(([, r]) => r.status === 'fail').map(([name]) => name);
      const blocked = requestBlocked(all);
      await this.lifecycle.transition(
        manager,
        request,
        blocked ? 'block' : 'pass_checks',
        {
          files: files.length,
          failedFiles: failed,
          ...(blocked ? { blockedBy: blockingRules(all) } : {}),
          manualOnly: all.filter((r) => r.status === 'manual').length,
          rules: `${this.settings.rules.name} ${this.settings.rules.version}`,
          rulesSha256: this.settings.rulesIdentity.sha256,
        },
        SYSTEM_ACTOR.worker,
      );
      return blocked ? 'blocked' : 'in_review';
    });
  }

  /** The last attempt failed (a file missing from the store, say): block with the reason, to resubmit. */
  async markFailed(requestId: string, round: number, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const request = await manager.findOne(OutputRequestEntity, {
        where: { id: requestId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!request || request.round !== round || !['submitted', 'checking'].includes(request.status)) return;
      if (request.status === 'submitted')
        await this.lifecycle.transition(manager, request, 'start_check', {}, SYSTEM_ACTOR.worker);
      request.checkError = `the automated checks could not run: ${reason}`;
      await this.lifecycle.transition(
        manager,
        request,
        'block',
        { checkError: true, blockedBy: ['check_error'] },
        SYSTEM_ACTOR.worker,
      );
    });
  }

  private async checkFile(
    projectId: string,
    file: OutputFileEntity,
    siblings: readonly OutputFileEntity[],
    released: readonly LedgerTable[],
  ): Promise<FileCheckResult> {
    const repository = this.dataSource.getRepository(OutputFileEntity);
    await repository.update({ id: file.id }, { checkState: 'running' });
    const kind = kindOfName(file.fileName);
    if (!kind) throw new Error(`${file.fileName} has no allowed extension`);
    const content = await this.store.get(file.sha256);
    const result = checkOutputFile(
      { fileName: file.fileName, kind, content, record: file.record },
      this.settings.rules,
      ledgerForFile(released, siblings, file.fileName),
    );
    const rebuilt = await this.extracts.evidence(projectId, file.record);
    const judged: FileCheckResult = withEvidence(
      { ...result, rules: result.rules && this.settings.rulesIdentity },
      rebuilt?.evidence ?? null,
      rebuilt?.flags ?? [],
    );
    await repository.update({ id: file.id }, { checkState: 'done', checkResult: judged });
    return judged;
  }

  /** Only released tables on the same variables as one of this request's tables can be differenced. */
  private async releasedTables(
    projectId: string,
    files: readonly OutputFileEntity[],
  ): Promise<LedgerTable[]> {
    const keys = [
      ...new Set(
        files.filter((f) => f.record?.type === 'table').map((f) => variablesKey(f.record as TableRecord)),
      ),
    ];
    if (keys.length === 0) return [];
    const rows = await this.dataSource.getRepository(OutputLedgerTableEntity).find({
      where: { projectId, variablesKey: In(keys) },
      order: { releasedAt: 'ASC' },
    });
    return rows.map((row) => ({
      source: `${row.tableKey} (released ${row.releasedAt.toISOString().slice(0, 10)})`,
      record: row.record,
    }));
  }
}
