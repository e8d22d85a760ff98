import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '@tre/audit';
import {
  APP_CONFIG,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type AppConfig,
} from '@tre/core';
import {
  datasetProblems,
  fieldProblems,
  normaliseField,
  originProblems,
  sourceProblems,
  type NormalisedDataset,
} from './catalogue-rules';
import type {
  CatalogueActor,
  DatasetListQuery,
  DatasetPage,
  DatasetPatch,
  DatasetSource,
  DatasetView,
  FieldChange,
  FieldSpec,
  NewDataset,
} from './catalogue.types';
import { DatasetFieldEntity } from './dataset-field.entity';
import { DatasetEntity } from './dataset.entity';
import { fieldFacts, toDatasetView, toFieldSpec } from './dataset.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';

function refuseIfProblems(what: string, problems: string[]): void {
  if (problems.length > 0) throw new ValidationError(`${what}: ${problems.join('; ')}`, { problems });
}

/** DTO instances may carry declared-but-absent properties as undefined; those must not erase values. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const sameField = (a: FieldSpec, b: FieldSpec): boolean =>
  (Object.keys(a) as (keyof FieldSpec)[]).every((key) => a[key] === b[key]);

/**
 * The dataset catalogue: custodians describe their datasets and how each field may be released; everyone
 * else reads it. Each write runs in one transaction with its audit event, and changes to one dataset are
 * serialised by a row lock so the person-identifier rule cannot be broken by two concurrent edits.
 */
@Injectable()
export class DatasetCatalogueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(actor: CatalogueActor, input: NewDataset): Promise<DatasetView> {
    if (!actor.roles.includes('data_custodian') && !actor.roles.includes('admin')) {
      throw new ForbiddenError('Only data custodians and admins may register datasets');
    }
    const dataset: NormalisedDataset = {
      code: input.code,
      title: input.title.trim(),
      origin: input.origin ?? 'other',
      source: { ...input.source, schema: input.source.schema ?? this.config.sourceSchemas[0] },
      fields: input.fields.map(normaliseField),
    };
    refuseIfProblems(
      `Dataset ${input.code} cannot be registered`,
      datasetProblems(dataset, this.config.sourceSchemas),
    );
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(DatasetEntity, { code: dataset.code })) throw duplicateCode(dataset.code);
      const row = manager.create(DatasetEntity, {
        code: dataset.code,
        title: dataset.title,
        description: input.description?.trim() ?? '',
        custodianId: actor.id,
        origin: dataset.origin,
        sourceSchema: dataset.source.schema,
        sourceTable: dataset.source.table,
        personIdColumn: dataset.source.personIdColumn,
      });
      try {
        await manager.insert(DatasetEntity, row);
      } catch (error: unknown) {
        // A concurrent registration of the same code got there between our check and our insert.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw duplicateCode(dataset.code);
        throw error;
      }
      const fields = dataset.fields.map((field, position) =>
        manager.create(DatasetFieldEntity, { ...field, datasetId: row.id, position }),
      );
      await manager.insert(DatasetFieldEntity, fields);
      await this.audit.append(manager, {
        action: 'dataset.registered',
        subjectType: 'dataset',
        subjectId: row.id,
        actorId: actor.id,
        details: {
          code: row.code,
          origin: dataset.origin,
          source: dataset.source,
          fields: dataset.fields.map(fieldFacts),
        },
      });
      return this.load(manager, { id: row.id });
    });
  }

  /** Changes the dataset's own attributes; a change that changes nothing is not recorded. */
  async update(actor: CatalogueActor, code: string, patch: DatasetPatch): Promise<DatasetView> {
    return this.dataSource.transaction(async (manager) => {
      const { row, fields } = await this.lockForChange(manager, actor, code);
      const before: DatasetSource = {
        schema: row.sourceSchema,
        table: row.sourceTable,
        personIdColumn: row.personIdColumn,
      };
      const source: DatasetSource = { ...before, ...definedOnly(patch.source ?? {}) };
      const title = patch.title?.trim() ?? row.title;
      const description = patch.description?.trim() ?? row.description;
      const origin = patch.origin ?? row.origin;
      refuseIfProblems(`Dataset ${code} cannot be changed`, [
        ...(title === '' ? ['title must not be empty'] : []),
        ...originProblems(origin),
        ...sourceProblems(source, fields.map(toFieldSpec), this.config.sourceSchemas),
      ]);
      const sourceChanged = (Object.keys(source) as (keyof DatasetSource)[]).some(
        (key) => source[key] !== before[key],
      );
      const changed = [
        ...(title !== row.title ? ['title'] : []),
        ...(description !== row.description ? ['description'] : []),
        ...(origin !== row.origin ? ['origin'] : []),
        ...(sourceChanged ? ['source'] : []),
      ];
      if (changed.length === 0) return toDatasetView(row, fields);
      await manager.update(
        DatasetEntity,
        { id: row.id },
        {
          title,
          description,
          origin,
          sourceSchema: source.schema,
          sourceTable: source.table,
          personIdColumn: source.personIdColumn,
        },
      );
      await this.audit.append(manager, {
        action: 'dataset.updated',
        subjectType: 'dataset',
        subjectId: row.id,
        actorId: actor.id,
        details: {
          code,
          changed,
          ...(origin !== row.origin ? { origin: { from: row.origin, to: origin } } : {}),
          ...(sourceChanged ? { source: { from: before, to: source } } : {}),
        },
      });
      return this.load(manager, { id: row.id });
    });
  }

  /** Adds the field, or changes it if the dataset has one of that name; an identical field is left alone. */
  async putField(
    actor: CatalogueActor,
    code: string,
    name: string,
    change: FieldChange,
  ): Promise<DatasetView> {
    return this.dataSource.transaction(async (manager) => {
      const { row, fields } = await this.lockForChange(manager, actor, code);
      const field = normaliseField({ ...change, name });
      const existing = fields.find((candidate) => candidate.name === name);
      const after = existing
        ? fields.map((candidate) => (candidate === existing ? field : toFieldSpec(candidate)))
        : [...fields.map(toFieldSpec), field];
      const source = { schema: row.sourceSchema, table: row.sourceTable, personIdColumn: row.personIdColumn };
      refuseIfProblems(`Field ${name} of ${code} cannot be saved`, [
        ...fieldProblems(field),
        ...sourceProblems(source, after, this.config.sourceSchemas),
      ]);
      if (existing && sameField(toFieldSpec(existing), field)) return toDatasetView(row, fields);
      if (existing) {
        await manager.update(DatasetFieldEntity, { id: existing.id }, { ...field });
      } else {
        const position = fields.reduce((max, candidate) => Math.max(max, candidate.position + 1), 0);
        await manager.insert(
          DatasetFieldEntity,
          manager.create(DatasetFieldEntity, { ...field, datasetId: row.id, position }),
        );
      }
      await manager.update(DatasetEntity, { id: row.id }, { updatedAt: new Date() });
      await this.audit.append(manager, {
        action: existing ? 'dataset.field_changed' : 'dataset.field_added',
        subjectType: 'dataset',
        subjectId: row.id,
        actorId: actor.id,
        details: existing
          ? { code, field: name, from: fieldFacts(toFieldSpec(existing)), to: fieldFacts(field) }
          : { code, ...fieldFacts(field) },
      });
      return this.load(manager, { id: row.id });
    });
  }

  async list(query: DatasetListQuery): Promise<DatasetPage> {
    const builder = this.dataSource.getRepository(DatasetEntity).createQueryBuilder('dataset');
    const q = query.q?.trim();
    if (q) {
      const pattern = `%${q.replace(/[\\%_]/g, '\\$&')}%`;
      builder.where('(dataset.code ILIKE :pattern OR dataset.title ILIKE :pattern)', { pattern });
    }
    const [rows, total] = await builder
      .orderBy('dataset.code', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    const fields = await this.fieldsOf(
      this.dataSource.manager,
      rows.map((row) => row.id),
    );
    return {
      items: rows.map((row) => toDatasetView(row, fields.get(row.id) ?? [])),
      page: query.page,
      pageSize: query.pageSize,
      total,
    };
  }

  findByCode(code: string): Promise<DatasetView> {
    return this.load(this.dataSource.manager, { code });
  }

  findById(id: string): Promise<DatasetView> {
    // Anything but a uuid cannot name a dataset, and Postgres would reject it as a uuid with a 500.
    if (!UUID.test(id)) return Promise.reject(new NotFoundError('dataset', id));
    return this.load(this.dataSource.manager, { id });
  }

  /** The datasets named, in the order first named; a ValidationError lists every code that is unknown. */
  async findByCodes(codes: string[]): Promise<DatasetView[]> {
    const wanted = [...new Set(codes)];
    if (wanted.length === 0) return [];
    const rows = await this.dataSource.manager.findBy(DatasetEntity, { code: In(wanted) });
    const byCode = new Map(rows.map((row) => [row.code, row]));
    const unknown = wanted.filter((code) => !byCode.has(code));
    if (unknown.length > 0) {
      throw new ValidationError(
        `Unknown dataset ${unknown.length === 1 ? 'code' : 'codes'}: ${unknown.join(', ')}`,
        {
          unknown,
        },
      );
    }
    const fields = await this.fieldsOf(
      this.dataSource.manager,
      rows.map((row) => row.id),
    );
    return wanted.map((code) => {
      const row = byCode.get(code)!;
      return toDatasetView(row, fields.get(row.id) ?? []);
    });
  }

  /** Locks the dataset for the rest of the transaction and checks the actor may change it. */
  private async lockForChange(
    manager: EntityManager,
    actor: CatalogueActor,
    code: string,
  ): Promise<{ row: DatasetEntity; fields: DatasetFieldEntity[] }> {
    const row = await manager.findOne(DatasetEntity, {
      where: { code },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) throw new NotFoundError('dataset', code);
    const isAdmin = actor.roles.includes('admin');
    const isItsCustodian = actor.roles.includes('data_custodian') && row.custodianId === actor.id;
    if (!isAdmin && !isItsCustodian) {
      throw new ForbiddenError(`Only the custodian of dataset ${code} or an admin may change it`);
    }
    const fields = (await this.fieldsOf(manager, [row.id])).get(row.id) ?? [];
    return { row, fields };
  }

  private async load(manager: EntityManager, where: { id: string } | { code: string }): Promise<DatasetView> {
    const row = await manager.findOneBy(DatasetEntity, where);
    if (!row) throw new NotFoundError('dataset', 'id' in where ? where.id : where.code);
    const fields = await this.fieldsOf(manager, [row.id]);
    return toDatasetView(row, fields.get(row.id) ?? []);
  }

  private async fieldsOf(
    manager: EntityManager,
    datasetIds: string[],
  ): Promise<Map<string, DatasetFieldEntity[]>> {
    const byDataset = new Map<string, DatasetFieldEntity[]>();
    if (datasetIds.length === 0) return byDataset;
    const rows = await manager.find(DatasetFieldEntity, {
      where: { datasetId: In(datasetIds) },
      order: { datasetId: 'ASC', position: 'ASC' },
    });
    for (const row of rows) byDataset.set(row.datasetId, [...(byDataset.get(row.datasetId) ?? []), row]);
    return byDataset;
  }
}

const duplicateCode = (code: string): ConflictError =>
  new ConflictError(`A dataset with code ${code} already exists`, { code });
