import { combineApprovals, narrowingProblems } from './approval-terms';

const requested = [
  { datasetId: 'd1', code: 'GP', fields: ['nhs_number', 'date_of_birth', 'sex'], legalBasis: 's251' },
  { datasetId: 'd2', code: 'HES', fields: ['nhs_number', 'diagnosis'], legalBasis: 's251' },
];

describe('approval terms', () => {
  it('grants what was asked when reviewers do not narrow it', () => {
    expect(combineApprovals(requested, '2027-12-31', [{}, {}])).toEqual({
      datasets: requested,
      endDate: '2027-12-31',
      conditions: [],
    });
  });

  it('grants only fields every approving reviewer agreed to, the earliest end and all conditions', () => {
    const approved = combineApprovals(requested, '2027-12-31', [
      { fields: { GP: ['nhs_number', 'sex'] }, endDate: '2027-06-30', conditions: ['no linkage to ONS'] },
      {
        fields: { GP: ['nhs_number', 'date_of_birth', 'sex'], HES: [] },
        conditions: ['annual report', 'no linkage to ONS'],
      },
    ]);
    expect(approved).toEqual({
      datasets: [{ datasetId: 'd1', code: 'GP', fields: ['nhs_number', 'sex'], legalBasis: 's251' }],
      endDate: '2027-06-30',
      conditions: ['no linkage to ONS', 'annual report'],
    });
  });

  it('names terms that would widen the request', () => {
    expect(
      narrowingProblems(requested, '2027-12-31', {
        fields: { GP: ['nhs_number', 'postcode'], ONS: ['x'] },
        endDate: '2028-01-01',
      }),
    ).toEqual([
      'fields postcode of GP were not requested',
      'dataset ONS was not requested',
      'end date 2028-01-01 is later than the requested 2027-12-31',
    ]);
    expect(
      narrowingProblems(requested, '2027-12-31', { fields: { GP: ['sex'] }, endDate: '2027-01-01' }),
    ).toEqual([]);
  });
});
