import { SummaryList } from 'nhsuk-react-components';
import type { ReactNode } from 'react';
import { LEGAL_BASIS_WORDS, STEPS, type ApplicationForm } from './application-model';

/** Every answer on one page, each with a way back to its step, before the application goes to the committee. */
export function CheckStep({ form, goTo }: { form: ApplicationForm; goTo: (step: number) => void }) {
  const row = (name: string, value: ReactNode, step: number) => (
    <SummaryList.Row>
      <SummaryList.Key>{name}</SummaryList.Key>
      <SummaryList.Value>{value || 'Not answered'}</SummaryList.Value>
      <dd className="nhsuk-summary-list__actions">
        <button type="button" className="app-link-button" onClick={() => goTo(step)}>
          Change<span className="nhsuk-u-visually-hidden"> {name.toLowerCase()}</span>
        </button>
      </dd>
    </SummaryList.Row>
  );
  return (
    <>
      <h2>{STEPS[4].title}</h2>
      <SummaryList>
        {row(
          'Data',
          form.datasets.length
            ? form.datasets.map((d) => (
                <p key={d.datasetCode} className="nhsuk-u-margin-bottom-1">
                  {d.datasetCode}: {d.fields.join(', ') || 'no fields'};{' '}
                  {d.legalBasis ? LEGAL_BASIS_WORDS[d.legalBasis] : 'no legal basis'}
                </p>
              ))
            : '',
          0,
        )}
        {row('Title', form.title, 1)}
        {row('Organisation', form.organisation, 1)}
        {row('Scientific purpose', form.scientificPurpose, 1)}
        {row('Lay summary', form.laySummary, 1)}
        {row('Public benefit', form.publicBenefit, 1)}
        {row('End date', form.requestedEndDate, 2)}
        {row('Your accreditation expires', form.accreditationExpiresOn, 2)}
        {row(
          'Other members',
          form.members.map((m) => `${m.subject} (accredited until ${m.accreditationExpiresOn})`).join(', ') ||
            'None',
          2,
        )}
        {row(
          'Workspace',
          `${form.workspace.size || 'default size'}, ${form.workspace.tool || 'default tool'}`,
          3,
        )}
      </SummaryList>
    </>
  );
}
