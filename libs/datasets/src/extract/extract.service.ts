import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '@tre/audit';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { DatasetCatalogueService } from '../catalogue/dataset-catalogue.service';
import { deriveProjectKey, PersonGroups, Pseudonymiser } from '../safe-data';
import { planColumns } from './column-plan';
import { extractDataset, type DatasetExtractResult } from './dataset-extractor';
import { OptedOutPeople } from './dataset-releaser';
import { BuildLock, newBuildFolder, prepareBuildDirs, sweepDeadBuilds } from './extract-build-dir';
import { ExtractEntity } from './extract.entity';
import { evaluateGate } from './extract-gate';
import { ExtractSteps } from './extract-steps';
import { ExtractFailure, type ExtractRequest } from './extract.types';
import { MasterKeyProvider } from './master-key.provider';
import { loadOptOutLists, OPT_OUT_SOURCE, type OptOutSource } from './opt-out-source';
import { checkStability, RowSample } from './pseudonym-sample';
import { checkSources } from './source-check';
import { connectSourceReader, grantSourceReads } from './source-reader';

/**
 * Builds a project's extract from its approval, step by step (each recorded on the extract row and audited):
 * check sources, load opt-outs, extract each dataset, gate, deliver. Files are written to a build folder outside
 * the store and renamed into it only when everything has passed: nothing half-written or ungated is ever in the
 * store, and what a dead build leaves in its folder is swept away (extract-build-dir.ts).
 */
@Injectable()
export class ExtractService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPT_OUT_SOURCE) private readonly optOuts: OptOutSource,
    private readonly catalogue: DatasetCatalogueService,
    private readonly masterKey: MasterKeyProvider,
    private readonly audit: AuditService,
  ) {}

  /** Returns false when there was nothing to do (the extract of this approval is already ready). */
  async build(
    request: ExtractRequest,
    report?: (percent: number, step: string) => Promise<void>,
  ): Promise<boolean> {
    const extract = await this.claim(request);
    if (!extract) return false;
    const lock = await BuildLock.acquire(this.config.databaseUrl, extract.id);
    try {
      // A stalled attempt of this job may have held the lock and finished the extract while we waited.
      const now = await this.dataSource.manager.findOneByOrFail(ExtractEntity, { id: extract.id });
      if (now.status === 'ready') return false;
      return await this.buildLocked(request, extract, report);
    } finally {
      await lock.release();
    }
  }

  private async buildLocked(
    request: ExtractRequest,
    extract: ExtractEntity,
    report?: (percent: number, step: string) => Promise<void>,
  ): Promise<boolean> {
    const manager = this.dataSource.manager;
    const datasets = await Promise.all(request.datasets.map((d) => this.catalogue.findById(d.datasetId)));
    const stepNames = [
      'check sources',
      'load opt-outs',
      ...datasets.map((d) => `extract ${d.code}`),
      'gate',
      'deliver',
    ];
    const steps = new ExtractSteps(manager, extract.id, stepNames);
    const dirs = {
      buildDir: this.config.extractBuildDir,
      storeDir: this.config.extractStoreDir,
      databaseUrl: this.config.databaseUrl,
    };
    // Built outside the store: only the rename after the gate puts anything there.
    const folder = newBuildFolder(this.config.extractBuildDir, extract.id);
    let client: Client | undefined;
    try {
      await steps.start('check sources');
      await grantSourceReads(this.dataSource, this.config);
      client = await connectSourceReader(this.config);
      await checkSources(client, request, datasets, this.config.sourceSchemas);
      await steps.finish('check sources', { datasets: datasets.length });

      await steps.start('load opt-outs');
      const lists = await loadOptOutLists(this.optOuts, request, datasets);
      await steps.finish(
        'load opt-outs',
        Object.fromEntries([...lists.values()].map((l) => [l.list, l.size])),
      );

      await prepareBuildDirs(dirs);
      await sweepDeadBuilds(dirs, folder);
      await mkdir(folder, { mode: 0o750 });
      const key = deriveProjectKey(this.masterKey.current(), request.projectId, extract.keyVersion);
      const pseudonymiser = new Pseudonymiser(key);
      const referenceDate = new Date().toISOString().slice(0, 10);
      const plans = datasets.map((dataset, i) =>
        planColumns(dataset, request.datasets[i].fields, pseudonymiser, referenceDate),
      );
      const people = new PersonGroups();
      const tags = datasets.map((dataset, i) => people.addDataset(dataset.code, plans[i].quasiIdentifiers));
      const optedOutPeople = new OptedOutPeople();
      const results: (DatasetExtractResult & { code: string; name: string; sample: RowSample })[] = [];
      for (const [index, dataset] of datasets.entries()) {
        const name = `extract ${dataset.code}`;
        await steps.start(name);
        await report?.(Math.round((index / datasets.length) * 90), `${name}: started`);
        const approved = request.datasets[index];
        const sample = new RowSample();
        const applicable = this.optOuts.listsFor(approved.legalBasis, dataset.origin);
        const result = await extractDataset({
          client,
          schema: dataset.source.schema,
          table: dataset.source.table,
          plan: plans[index],
          optOuts: applicable.map((list) => lists.get(list)!),
          pseudonymiser,
          outputPath: join(folder, `${dataset.code}.csv`),
          sample,
          people: people.counting ? { groups: people, tag: tags[index] } : undefined,
          optedOutPeople,
          onProgress: async (rows) => {
            await steps.progress(name, { rowsRead: rows });
            await report?.(Math.round(((index + 0.5) / datasets.length) * 90), `${name}: ${rows} rows read`);
          },
        });
        results.push({ ...result, code: dataset.code, name: `${dataset.code}.csv`, sample });
        await steps.finish(name, {
          ...result.counts.optedOut,
          sourceRows: result.counts.sourceRows,
          delivered: result.counts.delivered,
          invalidIdentifier: result.counts.invalidIdentifier,
          missingIdentifier: result.counts.missingIdentifier,
        });
      }
      await client.end();
      client = undefined;

      await steps.start('gate');
      const gate = evaluateGate(
        results.map((r) => ({ dataset: r.code, scan: r.scan })),
        people.counting ? people.report(this.config.extractMinK) : null,
        await checkStability(
          (projectId) => deriveProjectKey(this.masterKey.current(), projectId, extract.keyVersion),
          request.projectId,
          results.map((r) => ({
            path: join(folder, r.name),
            headerBytes: r.file.headerBytes,
            sample: r.sample,
          })),
        ),
      );
      if (!gate.passed) throw new ExtractFailure('gate', `the gate failed: ${gate.reasons.join('; ')}`);
      await steps.finish('gate', { passed: true });

      await steps.start('deliver');
      const manifest = {
        extractId: extract.id,
        projectId: request.projectId,
        approvalId: request.approvalId,
        approvalVersion: request.approvalVersion,
        keyVersion: extract.keyVersion,
        createdAt: new Date().toISOString(),
        files: results.map((r) => ({
          dataset: r.code,
          file: r.name,
          rows: r.file.rows,
          sha256: r.file.sha256,
          bytes: r.file.bytes,
        })),
        counts: Object.fromEntries(results.map((r) => [r.code, r.counts])),
        // Distinct people each applicable list removed, across datasets (the public register rounds them).
        optedOutPeople: optedOutPeople.counts(lists.keys()),
        gate,
      };
      await writeFile(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
        flag: 'wx',
      });
      const final = this.finalDir(request.projectId, extract.id);
      await mkdir(dirname(final), { recursive: true, mode: 0o750 });
      await rm(final, { recursive: true, force: true });
      await rename(folder, final);
      await steps.finish('deliver', { files: results.length });
      await this.finish(extract.id, 'ready', {
        manifest,
        action: 'extract.ready',
        details: { files: results.length, keyVersion: extract.keyVersion },
      });
      await report?.(100, 'ready');
      return true;
    } catch (error: unknown) {
      await client?.end().catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
      const reason = error instanceof Error ? error.message : String(error);
      const step = steps.current();
      if (step) await steps.fail(step, reason);
      if (error instanceof ExtractFailure) await this.markFailed(extract.id, reason);
      throw error;
    }
  }

  /** Marks the extract failed (the job's last attempt, or a failure no retry can mend), with the reason. */
  async markFailed(extractId: string, reason: string): Promise<void> {
    await this.finish(extractId, 'failed', {
      failureReason: reason,
      action: 'extract.failed',
      details: { reason },
    });
  }

  finalDir(projectId: string, extractId: string): string {
    return join(this.config.extractStoreDir, projectId, extractId);
  }

  /** Creates or takes over the extract row of this approval; null when it is already ready. */
  private async claim(request: ExtractRequest): Promise<ExtractEntity | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(ExtractEntity)
        .values({
          projectId: request.projectId,
          approvalId: request.approvalId,
          status: 'pending',
          keyVersion: this.config.pseudonymisationKeyVersion,
          steps: [],
        })
        .orIgnore()
        .execute();
      const extract = await manager.findOneOrFail(ExtractEntity, {
        where: { approvalId: request.approvalId },
        lock: { mode: 'pessimistic_write' },
      });
      if (extract.status === 'ready') return null;
      await manager.update(
        ExtractEntity,
        { id: extract.id },
        { status: 'running', failureReason: null, keyVersion: this.config.pseudonymisationKeyVersion },
      );
      await this.audit.append(manager, {
        action: 'extract.started',
        subjectType: 'project',
        subjectId: request.projectId,
        actorId: SYSTEM_ACTOR.worker,
        details: {
          extractId: extract.id,
          approvalId: request.approvalId,
          datasets: request.datasets.map((d) => d.code),
        },
      });
      return { ...extract, status: 'running', keyVersion: this.config.pseudonymisationKeyVersion };
    });
  }

  private async finish(
    extractId: string,
    status: 'ready' | 'failed',
    outcome: {
      manifest?: Record<string, unknown>;
      failureReason?: string;
      action: string;
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const extract = await manager.findOneOrFail(ExtractEntity, {
        where: { id: extractId },
        lock: { mode: 'pessimistic_write' },
      });
      await manager.query(
        'UPDATE extracts SET status = $2, manifest = $3, failure_reason = $4, updated_at = now() WHERE id = $1',
        [
          extractId,
          status,
          outcome.manifest ? JSON.stringify(outcome.manifest) : null,
          outcome.failureReason ?? null,
        ],
      );
      await this.audit.append(manager, {
        action: outcome.action,
        subjectType: 'project',
        subjectId: extract.projectId,
        actorId: SYSTEM_ACTOR.worker,
        details: { extractId, ...outcome.details },
      });
    });
  }
}
