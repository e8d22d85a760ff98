import type { DatasetView, FieldSpec } from './catalogue.types';
import type { DatasetFieldEntity } from './dataset-field.entity';
import type { DatasetEntity } from './dataset.entity';

export function toFieldSpec(row: DatasetFieldEntity): FieldSpec {
  return {
    name: row.name,
    type: row.type,
    classification: row.classification,
    releaseForm: row.releaseForm,
    generaliseLevel: row.generaliseLevel,
    description: row.description,
  };
}

/** The plain object other libraries get; fields must already be in declaration order. */
export function toDatasetView(row: DatasetEntity, fields: readonly DatasetFieldEntity[]): DatasetView {
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    description: row.description,
    custodianId: row.custodianId,
    origin: row.origin,
    source: { schema: row.sourceSchema, table: row.sourceTable, personIdColumn: row.personIdColumn },
    fields: fields.map(toFieldSpec),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What an audit event says about a field: its name as `field`, since keys like `name` are refused there. */
export function fieldFacts(field: FieldSpec): Record<string, unknown> {
  return {
    field: field.name,
    type: field.type,
    classification: field.classification,
    releaseForm: field.releaseForm,
    generaliseLevel: field.generaliseLevel,
  };
}
