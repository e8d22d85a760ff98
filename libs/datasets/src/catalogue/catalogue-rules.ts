import {
  DATASET_CODE_PATTERN,
  DATASET_ORIGINS,
  FIELD_CLASSIFICATIONS,
  FIELD_TYPES,
  GENERALISE_LEVELS,
  MAX_CODE_LENGTH,
  MAX_IDENTIFIER_LENGTH,
  RELEASE_FORMS,
  SQL_IDENTIFIER_PATTERN,
  type DatasetOrigin,
  type DatasetSource,
  type DatasetView,
  type FieldSpec,
  type FieldType,
  type FieldInput,
  type GeneraliseLevel,
} from './catalogue.types';

/** A registration after normaliseField and the source schema default. */
export interface NormalisedDataset {
  readonly code: string;
  readonly title: string;
  readonly origin: DatasetOrigin;
  readonly source: DatasetSource;
  readonly fields: readonly FieldSpec[];
}

/**
 * The catalogue's rules as pure functions returning every problem found (not just the first), so a custodian
 * fixes a whole registration in one round trip. The service turns a non-empty list into a 400; the database
 * CHECK constraints repeat the most dangerous rules as a backstop.
 */

/**
 * Which generalisations make sense for which type, matching what safe-data's generalise() can read: a
 * district from a postcode, years, months and decades from ISO dates, 5-year age bands from an age or a date
 * of birth. Anything else would turn every value into a missing one in the extract.
 */
export const GENERALISE_LEVELS_FOR_TYPE: Readonly<Record<FieldType, readonly GeneraliseLevel[]>> = {
  string: ['district'],
  code: ['district'],
  date: ['year', 'month', 'year_month', 'decade', 'age_band_5'],
  integer: ['age_band_5'],
  decimal: ['age_band_5'],
  boolean: [],
};

const oneOf = (values: readonly string[], value: unknown): boolean =>
  typeof value === 'string' && values.includes(value);

export function isSqlIdentifier(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= MAX_IDENTIFIER_LENGTH && SQL_IDENTIFIER_PATTERN.test(value)
  );
}

export function isDatasetCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CODE_LENGTH && DATASET_CODE_PATTERN.test(value);
}

/** Problems with one field on its own. */
export function fieldProblems(field: FieldSpec): string[] {
  const label = `field ${String(field.name)}`;
  const problems: string[] = [];
  if (!isSqlIdentifier(field.name)) {
    problems.push(
      `${label}: name must be a lower-case SQL identifier of at most ${MAX_IDENTIFIER_LENGTH} characters`,
    );
  }
  if (!oneOf(FIELD_TYPES, field.type)) {
    problems.push(`${label}: type ${String(field.type)} is not one of ${FIELD_TYPES.join(', ')}`);
  }
  if (!oneOf(FIELD_CLASSIFICATIONS, field.classification)) {
    problems.push(
      `${label}: classification ${String(field.classification)} is not one of ${FIELD_CLASSIFICATIONS.join(', ')}`,
    );
  }
  if (!oneOf(RELEASE_FORMS, field.releaseForm)) {
    problems.push(
      `${label}: release form ${String(field.releaseForm)} is not one of ${RELEASE_FORMS.join(', ')}`,
    );
  }
  if (field.classification === 'direct_identifier' && field.releaseForm === 'keep') {
    problems.push(`${label}: a direct identifier can never be released as keep`);
  }
  const level = field.generaliseLevel ?? null;
  if (field.releaseForm === 'generalise') {
    if (level === null) {
      problems.push(`${label}: release form generalise needs a generalise level`);
    } else if (!oneOf(GENERALISE_LEVELS, level)) {
      problems.push(
        `${label}: generalise level ${String(level)} is not one of ${GENERALISE_LEVELS.join(', ')}`,
      );
    } else if (oneOf(FIELD_TYPES, field.type) && !GENERALISE_LEVELS_FOR_TYPE[field.type].includes(level)) {
      const allowed = GENERALISE_LEVELS_FOR_TYPE[field.type];
      problems.push(
        `${label}: type ${field.type} cannot be generalised to ${level}` +
          (allowed.length ? ` (possible: ${allowed.join(', ')})` : ''),
      );
    }
  } else if (level !== null) {
    problems.push(`${label}: a generalise level is only allowed with release form generalise`);
  }
  return problems;
}

/** A value from a request, quoted for a message: JSON escapes quotes and control characters, and it is cut short. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(typeof value === 'string' ? value : String(value));
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

/**
 * Problems with where the rows come from, given the fields they will have. The schema must be one the operator
 * named as holding sources (SOURCE_SCHEMAS): the extract reads whatever the catalogue points at, so a custodian
 * must not be able to point it at the service's own tables or the system catalogue. Identifiers are plain
 * lower-case names (no dots, quotes or spaces), always schema-qualified when read, so no search_path applies.
 */
export function sourceProblems(
  source: DatasetSource,
  fields: readonly FieldSpec[],
  sourceSchemas: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const key of ['schema', 'table', 'personIdColumn'] as const) {
    if (!isSqlIdentifier(source[key])) {
      problems.push(
        `source ${key} ${quoted(source[key])} must be a lower-case SQL identifier of at most ${MAX_IDENTIFIER_LENGTH} characters`,
      );
    }
  }
  if (isSqlIdentifier(source.schema) && !sourceSchemas.includes(source.schema)) {
    problems.push(
      `source schema ${quoted(source.schema)} is not a source schema (allowed: ${sourceSchemas.join(', ')})`,
    );
  }
  const personId = fields.find((field) => field.name === source.personIdColumn);
  if (!personId) {
    problems.push(`person identifier column ${String(source.personIdColumn)} is not one of the fields`);
  } else if (personId.classification !== 'direct_identifier' || personId.releaseForm !== 'pseudonymise') {
    // The extract links sources on the pseudonym of this column, so it must be pseudonymised, never kept.
    problems.push(
      `person identifier column ${personId.name} must be classified direct_identifier with release form pseudonymise`,
    );
  }
  return problems;
}

/** Fills in what a caller may leave out, so the rules and the database see complete fields. */
export function normaliseField(field: FieldInput): FieldSpec {
  return {
    name: field.name,
    type: field.type,
    classification: field.classification,
    releaseForm: field.releaseForm,
    generaliseLevel: field.generaliseLevel ?? null,
    description: field.description?.trim() ?? '',
  };
}

export function originProblems(origin: unknown): string[] {
  return oneOf(DATASET_ORIGINS, origin)
    ? []
    : [`origin ${String(origin)} is not one of ${DATASET_ORIGINS.join(', ')}`];
}

/** Every problem with a whole registration, its fields already normalised. */
export function datasetProblems(dataset: NormalisedDataset, sourceSchemas: readonly string[]): string[] {
  const problems: string[] = [];
  if (!isDatasetCode(dataset.code)) {
    problems.push(`code ${String(dataset.code)} must be upper snake case (e.g. GP_REGISTRATIONS)`);
  }
  if (typeof dataset.title !== 'string' || dataset.title.trim() === '')
    problems.push('title must not be empty');
  problems.push(...originProblems(dataset.origin));
  if (dataset.fields.length === 0) problems.push('a dataset needs at least one field');
  const seen = new Set<string>();
  for (const field of dataset.fields) {
    if (seen.has(field.name)) problems.push(`field ${field.name} is declared more than once`);
    seen.add(field.name);
    problems.push(...fieldProblems(field));
  }
  problems.push(...sourceProblems(dataset.source, dataset.fields, sourceSchemas));
  return problems;
}

/**
 * Problems with a request for some of a dataset's fields (a project application, an approval that narrows
 * it): unknown fields, duplicates, and fields the catalogue never releases (release form drop).
 */
export function validateFieldRequest(dataset: DatasetView, fields: string[]): string[] {
  const problems: string[] = [];
  if (fields.length === 0) problems.push(`no fields requested from ${dataset.code}`);
  const known = new Map(dataset.fields.map((field) => [field.name, field]));
  const seen = new Set<string>();
  for (const name of fields) {
    if (seen.has(name)) {
      problems.push(`field ${name} of ${dataset.code} is requested more than once`);
      continue;
    }
    seen.add(name);
    const field = known.get(name);
    if (!field) problems.push(`${dataset.code} has no field ${name}`);
    else if (field.releaseForm === 'drop')
      problems.push(`field ${name} of ${dataset.code} is never released`);
  }
  return problems;
}
