import { describe, expect, it } from 'vitest';
import {
  applicationBody,
  emptyApplication,
  inputIdOf,
  STEPS,
  stepOfField,
  withoutRefused,
  type ApplicationForm,
} from './application-model';

const form = (): ApplicationForm => ({
  ...emptyApplication(),
  title: 'Asthma and air',
  laySummary: 'Too short.',
  datasets: [{ datasetCode: 'GP_REGISTRATIONS', fields: ['sex'], legalBasis: '' }],
});

describe('the application form and the API', () => {
  it('sends every answer as typed, an unchosen legal basis included, so the API names what is missing', () => {
    const body = applicationBody(form());
    expect(body.title).toBe('Asthma and air');
    expect(body.datasets).toEqual([{ datasetCode: 'GP_REGISTRATIONS', fields: ['sex'], legalBasis: '' }]);
    expect('workspace' in body).toBe(false);
    expect(applicationBody({ ...form(), workspace: { size: 'large', tool: '' } }).workspace).toEqual({
      size: 'large',
    });
  });

  it('keeps the sections the API accepted and leaves out those it refused, nested fields by their section', () => {
    const body = applicationBody(form());
    const rest = withoutRefused(body, ['laySummary', 'datasets.0.legalBasis']);
    expect(rest).not.toBeNull();
    expect(Object.keys(rest!).sort()).toEqual(
      [
        'accreditationExpiresOn',
        'members',
        'organisation',
        'publicBenefit',
        'requestedEndDate',
        'scientificPurpose',
        'title',
      ].sort(),
    );
    // Nothing refused by name (a refusal of the whole application): nothing to keep apart.
    expect(withoutRefused(body, [])).toBeNull();
  });

  it('finds the step and the input of each field the API names', () => {
    expect(STEPS[stepOfField('datasets.0.legalBasis')].key).toBe('data');
    expect(STEPS[stepOfField('laySummary')].key).toBe('about');
    expect(STEPS[stepOfField('members.1.subject')].key).toBe('people');
    expect(STEPS[stepOfField('workspace.tool')].key).toBe('workspace');
    expect(STEPS[stepOfField('somethingNew')].key).toBe('check');
    expect(inputIdOf('datasets.0.legalBasis')).toBe('app-datasets-0-legalBasis');
  });
});
