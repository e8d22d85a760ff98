import type { DatasetView } from '../catalogue/catalogue.types';
import { deriveProjectKey, Pseudonymiser } from '../safe-data';
import { planColumns } from './column-plan';
import { csvLine } from './csv-file-writer';

const dataset: DatasetView = {
  id: 'd1',
  code: 'GP',
  title: 'GP',
  description: '',
  custodianId: 'u1',
  source: { schema: 'source', table: 'gp', personIdColumn: 'nhs_number' },
  fields: [
    {
      name: 'nhs_number',
      type: 'string',
      classification: 'direct_identifier',
      releaseForm: 'pseudonymise',
      generaliseLevel: null,
      description: '',
    },
    {
      name: 'full_name',
      type: 'string',
      classification: 'direct_identifier',
      releaseForm: 'drop',
      generaliseLevel: null,
      description: '',
    },
    {
      name: 'date_of_birth',
      type: 'date',
      classification: 'quasi_identifier',
      releaseForm: 'generalise',
      generaliseLevel: 'year_month',
      description: '',
    },
    {
      name: 'postcode',
      type: 'string',
      classification: 'quasi_identifier',
      releaseForm: 'generalise',
      generaliseLevel: 'district',
      description: '',
    },
    {
      name: 'sex',
      type: 'code',
      classification: 'quasi_identifier',
      releaseForm: 'keep',
      generaliseLevel: null,
      description: '',
    },
  ],
  createdAt: '',
  updatedAt: '',
} as DatasetView;

const pseudonymiser = new Pseudonymiser(deriveProjectKey(Buffer.alloc(32, 7), 'p1', 1));

describe('column plan', () => {
  it('reads only approved, released fields and writes each in its release form', () => {
    const plan = planColumns(
      dataset,
      ['nhs_number', 'full_name', 'date_of_birth', 'postcode'],
      pseudonymiser,
      '2026-11-21',
    );
    expect(plan.sourceColumns).toEqual(['nhs_number', 'date_of_birth', 'postcode']);
    expect(plan.outputColumns.map((c) => c.name)).toEqual(['date_of_birth', 'postcode']);
    expect(plan.quasiIdentifiers).toEqual(['date_of_birth', 'postcode']);
    const [dob, postcode] = plan.outputColumns;
    expect(dob.transform('1980-03-17')).toBe('1980-03');
    expect(postcode.transform('sw1a 1aa')).toBe('SW1A');
    expect(dob.transform('not a date')).toBeNull();
  });

  it('never plans an unapproved field, even one the catalogue would keep', () => {
    expect(planColumns(dataset, ['nhs_number'], pseudonymiser, '2026-11-21').sourceColumns).toEqual([
      'nhs_number',
    ]);
  });
});

describe('csv lines', () => {
  it('quotes what needs quoting and writes nulls as empty cells', () => {
    expect(csvLine(['a', null, 'b,c', 'say "x"'])).toBe('a,,"b,c","say ""x"""\n');
  });
});
