import { describe, expect, it } from 'vitest';
import { applicationChanges } from './application-changes';

const V1 = {
  title: 'Asthma and air quality',
  scientificPurpose: 'Association of NO2 and admissions.',
  datasets: [
    { datasetCode: 'GP', fields: ['nhs_number', 'postcode', 'sex'], legalBasis: 's251' },
    { datasetCode: 'HES', fields: ['nhs_number'], legalBasis: 's251' },
  ],
};

describe('what changed between two versions of an application', () => {
  it('names each changed field, each dataset field added or removed, and a changed legal basis', () => {
    const v2 = {
      ...V1,
      scientificPurpose: 'Association of NO2 and admissions, by district.',
      datasets: [
        { datasetCode: 'GP', fields: ['nhs_number', 'sex', 'district'], legalBasis: 'consent' },
        { datasetCode: 'ONS', fields: ['deaths'], legalBasis: 's251' },
      ],
    };
    expect(applicationChanges(V1, v2)).toEqual([
      {
        what: 'Scientific purpose',
        before: 'Association of NO2 and admissions.',
        after: 'Association of NO2 and admissions, by district.',
      },
      { what: 'Fields of GP', before: 'also postcode', after: 'also district' },
      { what: 'Legal basis for GP', before: 's251', after: 'consent' },
      { what: 'Dataset HES', before: 'asked for', after: 'removed' },
      { what: 'Dataset ONS', before: 'not asked for', after: 'asked for' },
    ]);
  });

  it('finds nothing in two equal versions', () => {
    expect(applicationChanges(V1, structuredClone(V1))).toEqual([]);
  });
});
