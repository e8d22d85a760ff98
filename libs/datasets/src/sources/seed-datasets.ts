import type { FieldInput, NewDataset } from '../catalogue/catalogue.types';
import { DEFAULT_SOURCE_SCHEMA } from './source-tables';

/**
 * The catalogue entries for the seeded sources, in the shape DatasetCatalogueService.register takes, so the
 * tests, the demo and the benchmark register identical datasets. Release forms follow the catalogue's habits:
 * the person identifier is pseudonymised, names dropped, dates of birth to year and month, postcodes to
 * district; clinical codes are the point of the data and kept.
 */

const nhsNumber: FieldInput = {
  name: 'nhs_number',
  type: 'string',
  classification: 'direct_identifier',
  releaseForm: 'pseudonymise',
  description: 'NHS number as recorded; linked only when it passes modulus 11',
};
const fullName: FieldInput = {
  name: 'full_name',
  type: 'string',
  classification: 'direct_identifier',
  releaseForm: 'drop',
  description: "Patient's name",
};
const postcode: FieldInput = {
  name: 'postcode',
  type: 'string',
  classification: 'quasi_identifier',
  releaseForm: 'generalise',
  generaliseLevel: 'district',
  description: 'Home postcode, released as its district',
};

export function seedDatasets(schema: string = DEFAULT_SOURCE_SCHEMA): NewDataset[] {
  return [
    {
      code: 'GP_REGISTRATIONS',
      title: 'GP registrations',
      description: 'Patients registered with general practices (synthetic)',
      origin: 'gp',
      source: { schema, table: 'gp_registrations', personIdColumn: 'nhs_number' },
      fields: [
        nhsNumber,
        fullName,
        {
          name: 'date_of_birth',
          type: 'date',
          classification: 'quasi_identifier',
          releaseForm: 'generalise',
          generaliseLevel: 'year_month',
        },
        postcode,
        { name: 'sex', type: 'code', classification: 'quasi_identifier', releaseForm: 'keep' },
        {
          name: 'practice_code',
          type: 'code',
          classification: 'attribute',
          releaseForm: 'keep',
          description: 'ODS code of the practice',
        },
        {
          name: 'registration_date',
          type: 'date',
          classification: 'attribute',
          releaseForm: 'generalise',
          generaliseLevel: 'month',
        },
      ],
    },
    {
      code: 'HES_APC',
      title: 'Hospital episodes: admitted patient care',
      description: 'One row per hospital episode (synthetic)',
      origin: 'hospital',
      source: { schema, table: 'hes_apc', personIdColumn: 'nhs_number' },
      fields: [
        {
          name: 'episode_id',
          type: 'integer',
          classification: 'direct_identifier',
          releaseForm: 'drop',
          // A record key of the identifiable source: released, it would lead straight back to the patient.
          description: 'Key of the episode in the source system',
        },
        nhsNumber,
        {
          name: 'admission_date',
          type: 'date',
          classification: 'sensitive',
          releaseForm: 'generalise',
          generaliseLevel: 'month',
        },
        {
          name: 'diagnosis',
          type: 'code',
          classification: 'sensitive',
          releaseForm: 'keep',
          description: 'Primary diagnosis, ICD-10',
        },
        fullName,
        postcode,
      ],
    },
    {
      code: 'DEATHS',
      title: 'Death registrations',
      description: 'Registered deaths with underlying cause (synthetic)',
      origin: 'registry',
      source: { schema, table: 'deaths', personIdColumn: 'nhs_number' },
      fields: [
        nhsNumber,
        {
          name: 'date_of_death',
          type: 'date',
          classification: 'quasi_identifier',
          releaseForm: 'generalise',
          generaliseLevel: 'month',
        },
        {
          name: 'cause',
          type: 'code',
          classification: 'sensitive',
          releaseForm: 'keep',
          description: 'Underlying cause of death, ICD-10',
        },
        postcode,
      ],
    },
  ];
}

/** The seeded datasets in the default `source` schema. */
export const SEED_DATASETS: readonly NewDataset[] = seedDatasets();
