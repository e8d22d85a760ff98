import {
  datasetProblems,
  fieldProblems,
  isDatasetCode,
  isSqlIdentifier,
  normaliseField,
  originProblems,
  sourceProblems,
  validateFieldRequest,
  type NormalisedDataset,
} from './catalogue-rules';
import type { DatasetView, FieldInput, FieldSpec } from './catalogue.types';

const field = (overrides: Partial<FieldInput> & Pick<FieldInput, 'name'>): FieldSpec =>
  normaliseField({ type: 'string', classification: 'attribute', releaseForm: 'keep', ...overrides });

const nhsNumber = field({
  name: 'nhs_number',
  classification: 'direct_identifier',
  releaseForm: 'pseudonymise',
});

const registration = (fields: FieldSpec[], personIdColumn = 'nhs_number'): NormalisedDataset => ({
  code: 'GP_REGISTRATIONS',
  title: 'GP registrations',
  origin: 'gp',
  source: { schema: 'source', table: 'gp_registrations', personIdColumn },
  fields,
});

describe('field rules', () => {
  it('accepts well-formed fields of every release form', () => {
    expect(fieldProblems(nhsNumber)).toEqual([]);
    expect(
      fieldProblems(field({ name: 'full_name', classification: 'direct_identifier', releaseForm: 'drop' })),
    ).toEqual([]);
    expect(
      fieldProblems(
        field({
          name: 'date_of_birth',
          type: 'date',
          releaseForm: 'generalise',
          generaliseLevel: 'year_month',
        }),
      ),
    ).toEqual([]);
    expect(fieldProblems(field({ name: 'sex', type: 'code', classification: 'quasi_identifier' }))).toEqual(
      [],
    );
  });

  it('refuses a direct identifier released as keep, naming the field', () => {
    expect(fieldProblems(field({ name: 'nhs_number', classification: 'direct_identifier' }))).toEqual([
      'field nhs_number: a direct identifier can never be released as keep',
    ]);
  });

  it('needs a generalise level exactly when the release form is generalise', () => {
    expect(fieldProblems(field({ name: 'postcode', releaseForm: 'generalise' }))).toEqual([
      'field postcode: release form generalise needs a generalise level',
    ]);
    expect(
      fieldProblems(field({ name: 'postcode', releaseForm: 'keep', generaliseLevel: 'district' })),
    ).toEqual(['field postcode: a generalise level is only allowed with release form generalise']);
  });

  it('refuses a generalisation that does not fit the type', () => {
    expect(
      fieldProblems(
        field({ name: 'smoker', type: 'boolean', releaseForm: 'generalise', generaliseLevel: 'year' }),
      ),
    ).toEqual(['field smoker: type boolean cannot be generalised to year']);
    expect(
      fieldProblems(
        field({ name: 'age', type: 'integer', releaseForm: 'generalise', generaliseLevel: 'decade' }),
      ),
    ).toEqual(['field age: type integer cannot be generalised to decade (possible: age_band_5)']);
    expect(
      fieldProblems(
        field({
          name: 'registered_on',
          type: 'date',
          releaseForm: 'generalise',
          generaliseLevel: 'district',
        }),
      ),
    ).toEqual([
      'field registered_on: type date cannot be generalised to district (possible: year, month, year_month, decade, age_band_5)',
    ]);
  });

  it('reports unknown vocabulary and bad names, all at once', () => {
    const problems = fieldProblems({
      name: 'Bad Name',
      type: 'blob',
      classification: 'secret',
      releaseForm: 'publish',
      generaliseLevel: null,
      description: '',
    } as unknown as FieldSpec);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/name must be a lower-case SQL identifier/);
    expect(problems.join('\n')).toMatch(/type blob is not one of/);
    expect(problems.join('\n')).toMatch(/classification secret is not one of/);
    expect(problems.join('\n')).toMatch(/release form publish is not one of/);
  });
});

describe('identifiers and codes', () => {
  it('accepts lower-case SQL identifiers only', () => {
    expect(isSqlIdentifier('nhs_number')).toBe(true);
    expect(isSqlIdentifier('_x1')).toBe(true);
    expect(isSqlIdentifier('1x')).toBe(false);
    expect(isSqlIdentifier('NHS')).toBe(false);
    expect(isSqlIdentifier('a; drop table x')).toBe(false);
    expect(isSqlIdentifier('a'.repeat(64))).toBe(false);
  });

  it('accepts upper snake case codes only', () => {
    expect(isDatasetCode('GP_REGISTRATIONS')).toBe(true);
    expect(isDatasetCode('HES_APC_2024')).toBe(true);
    expect(isDatasetCode('gp_registrations')).toBe(false);
    expect(isDatasetCode('GP__X')).toBe(false);
    expect(isDatasetCode('_GP')).toBe(false);
  });
});

describe('the person identifier column', () => {
  it('must be one of the fields', () => {
    expect(
      sourceProblems({ schema: 'source', table: 't', personIdColumn: 'patient_id' }, [nhsNumber], ['source']),
    ).toEqual(['person identifier column patient_id is not one of the fields']);
  });

  it('must be a direct identifier that is pseudonymised', () => {
    const dropped = { ...nhsNumber, releaseForm: 'drop' as const };
    expect(
      sourceProblems({ schema: 'source', table: 't', personIdColumn: 'nhs_number' }, [dropped], ['source']),
    ).toEqual([
      'person identifier column nhs_number must be classified direct_identifier with release form pseudonymise',
    ]);
    const quasi = { ...nhsNumber, classification: 'quasi_identifier' as const };
    expect(
      sourceProblems({ schema: 'source', table: 't', personIdColumn: 'nhs_number' }, [quasi], ['source']),
    ).toHaveLength(1);
  });
});

describe('the source schema', () => {
  const at = (schema: string, table = 'gp') =>
    sourceProblems({ schema, table, personIdColumn: 'nhs_number' }, [nhsNumber], ['source', 'registry']);

  it('must be one of the schemas the operator named', () => {
    expect(at('source')).toEqual([]);
    expect(at('registry')).toEqual([]);
    for (const schema of ['public', 'pg_catalog', 'optouts', 'information_schema', 'pg_temp', 'sources']) {
      expect(at(schema)).toEqual([
        `source schema "${schema}" is not a source schema (allowed: source, registry)`,
      ]);
    }
  });

  it('refuses qualified, quoted and spaced names, quoting them safely in the message', () => {
    expect(at('source', 'public.users')[0]).toBe(
      'source table "public.users" must be a lower-case SQL identifier of at most 63 characters',
    );
    expect(at('source', '"users"')[0]).toContain('source table "\\"users\\""');
    expect(at('"public"')[0]).toContain('source schema "\\"public\\""');
    expect(at('source', 'users; SET search_path TO public')).toHaveLength(1);
    expect(at('PUBLIC')).toHaveLength(1);
    expect(at('source\u0000')[0]).toContain('\\u0000');
  });
});

describe('a whole registration', () => {
  it('accepts a sound one', () => {
    expect(
      datasetProblems(registration([nhsNumber, field({ name: 'practice_code', type: 'code' })]), ['source']),
    ).toEqual([]);
  });

  it('reports duplicates, an empty title, a bad code and missing fields', () => {
    expect(
      datasetProblems({ ...registration([nhsNumber, nhsNumber]), code: 'gp', title: ' ' }, ['source']),
    ).toEqual([
      'code gp must be upper snake case (e.g. GP_REGISTRATIONS)',
      'title must not be empty',
      'field nhs_number is declared more than once',
    ]);
    expect(datasetProblems(registration([]), ['source'])).toEqual([
      'a dataset needs at least one field',
      'person identifier column nhs_number is not one of the fields',
    ]);
  });

  it('accepts every origin and refuses any other', () => {
    for (const origin of ['gp', 'hospital', 'registry', 'other'] as const) {
      expect(datasetProblems({ ...registration([nhsNumber]), origin }, ['source'])).toEqual([]);
    }
    const unknown = { ...registration([nhsNumber]), origin: 'pharmacy' } as unknown as NormalisedDataset;
    expect(datasetProblems(unknown, ['source'])).toEqual([
      'origin pharmacy is not one of gp, hospital, registry, other',
    ]);
    expect(originProblems(undefined)).toHaveLength(1);
  });
});

describe('validateFieldRequest', () => {
  const dataset: DatasetView = {
    id: '00000000-0000-0000-0000-000000000001',
    code: 'GP_REGISTRATIONS',
    title: 'GP registrations',
    description: '',
    custodianId: '00000000-0000-0000-0000-000000000002',
    origin: 'gp',
    source: { schema: 'source', table: 'gp_registrations', personIdColumn: 'nhs_number' },
    fields: [
      nhsNumber,
      field({ name: 'full_name', classification: 'direct_identifier', releaseForm: 'drop' }),
      field({ name: 'practice_code', type: 'code' }),
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('accepts known, releasable fields', () => {
    expect(validateFieldRequest(dataset, ['nhs_number', 'practice_code'])).toEqual([]);
  });

  it('names unknown, repeated and never-released fields', () => {
    expect(
      validateFieldRequest(dataset, ['religion', 'practice_code', 'practice_code', 'full_name']),
    ).toEqual([
      'GP_REGISTRATIONS has no field religion',
      'field practice_code of GP_REGISTRATIONS is requested more than once',
      'field full_name of GP_REGISTRATIONS is never released',
    ]);
  });

  it('refuses an empty request', () => {
    expect(validateFieldRequest(dataset, [])).toEqual(['no fields requested from GP_REGISTRATIONS']);
  });
});
