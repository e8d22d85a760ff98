import { useQuery } from '@tanstack/react-query';
import { Select } from 'nhsuk-react-components';
import { unwrap } from '../../../api/api-error';
import { api, type Schemas } from '../../../api/client';
import { QueryState } from '../../../components/query-state';
import { inputIdOf, LEGAL_BASIS_WORDS, type ApplicationForm, type LegalBasis } from './application-model';

type Dataset = Schemas['DatasetDto'];
type Field = Schemas['DatasetFieldDto'];

const CLASSIFICATION_WORDS: Record<Field['classification'], string> = {
  direct_identifier: 'Direct identifier',
  quasi_identifier: 'Indirect identifier',
  sensitive: 'Sensitive',
  attribute: 'Attribute',
};

/** What the project would receive of each field: the catalogue decides, the page only says it. */
const RELEASE_WORDS = (field: Field): string => {
  switch (field.releaseForm) {
    case 'drop':
      return 'Never released';
    case 'pseudonymise':
      return 'Replaced by a project pseudonym';
    case 'generalise':
      return `Generalised${field.generaliseLevel ? ` (${field.generaliseLevel.replace(/_/g, ' ')})` : ''}`;
    case 'keep':
      return 'Released as it is';
  }
};

export interface StepProps {
  readonly form: ApplicationForm;
  readonly change: (update: (form: ApplicationForm) => ApplicationForm) => void;
  readonly errorFor: (field: string) => string | undefined;
}

/** The catalogue: pick datasets, their fields (each with its classification and release form) and a legal basis. */
export function DataStep({ form, change, errorFor }: StepProps) {
  const catalogue = useQuery({
    queryKey: ['catalogue'],
    queryFn: () => unwrap(api.GET('/datasets', { params: { query: { pageSize: 100 } } })),
  });
  const toggleDataset = (code: string, on: boolean) =>
    change((f) => ({
      ...f,
      datasets: on
        ? [...f.datasets, { datasetCode: code, fields: [], legalBasis: '' }]
        : f.datasets.filter((d) => d.datasetCode !== code),
    }));
  return (
    <>
      <h2>Data</h2>
      {errorFor('datasets') && (
        <span className="nhsuk-error-message" id={inputIdOf('datasets')}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {errorFor('datasets')}
        </span>
      )}
      <QueryState query={catalogue} what="Loading the catalogue">
        {(page) =>
          page.items.map((dataset) => {
            const index = form.datasets.findIndex((d) => d.datasetCode === dataset.code);
            return (
              <DatasetChoice
                key={dataset.code}
                dataset={dataset}
                index={index}
                form={form}
                change={change}
                errorFor={errorFor}
                onToggle={(on) => toggleDataset(dataset.code, on)}
              />
            );
          })
        }
      </QueryState>
    </>
  );
}

function DatasetChoice({
  dataset,
  index,
  form,
  change,
  errorFor,
  onToggle,
}: StepProps & { dataset: Dataset; index: number; onToggle: (on: boolean) => void }) {
  const chosen = index >= 0 ? form.datasets[index] : undefined;
  const setRequest = (
    update: (request: ApplicationForm['datasets'][number]) => ApplicationForm['datasets'][number],
  ) =>
    change((f) => ({
      ...f,
      datasets: f.datasets.map((d) => (d.datasetCode === dataset.code ? update(d) : d)),
    }));
  const checkboxId = `dataset-${dataset.code}`;
  const fieldsError = index >= 0 ? errorFor(`datasets.${index}.fields`) : undefined;
  return (
    <div className="nhsuk-form-group app-dataset">
      <div className="nhsuk-checkboxes__item">
        <input
          className="nhsuk-checkboxes__input"
          id={checkboxId}
          type="checkbox"
          checked={chosen !== undefined}
          onChange={(event) => onToggle(event.target.checked)}
        />
        <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={checkboxId}>
          Request {dataset.title} ({dataset.code})
        </label>
      </div>
      <p className="nhsuk-body-s">{dataset.description}</p>
      {chosen && (
        <>
          <fieldset
            className="nhsuk-fieldset"
            aria-describedby={fieldsError ? `${inputIdOf(`datasets.${index}.fields`)}` : undefined}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              Fields of {dataset.title}
            </legend>
            {fieldsError && (
              <span className="nhsuk-error-message" id={inputIdOf(`datasets.${index}.fields`)}>
                <span className="nhsuk-u-visually-hidden">Error:</span> {fieldsError}
              </span>
            )}
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                Fields of {dataset.title}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    Field
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Classification
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    What you would receive
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {dataset.fields.map((field) => {
                  const id = `field-${dataset.code}-${field.name}`;
                  return (
                    <tr key={field.name} className="nhsuk-table__row">
                      <td className="nhsuk-table__cell">
                        <div className="nhsuk-checkboxes__item">
                          <input
                            className="nhsuk-checkboxes__input"
                            id={id}
                            type="checkbox"
                            checked={chosen.fields.includes(field.name)}
                            onChange={(event) =>
                              setRequest((r) => ({
                                ...r,
                                fields: event.target.checked
                                  ? [...r.fields, field.name]
                                  : r.fields.filter((name) => name !== field.name),
                              }))
                            }
                          />
                          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
                            {field.name}
                          </label>
                        </div>
                      </td>
                      <td className="nhsuk-table__cell">{CLASSIFICATION_WORDS[field.classification]}</td>
                      <td className="nhsuk-table__cell">{RELEASE_WORDS(field)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </fieldset>
          <Select
            id={inputIdOf(`datasets.${index}.legalBasis`)}
            label={`Legal basis for ${dataset.title}`}
            value={chosen.legalBasis}
            error={errorFor(`datasets.${index}.legalBasis`)}
            onChange={(event) =>
              setRequest((r) => ({ ...r, legalBasis: event.target.value as LegalBasis | '' }))
            }
          >
            <Select.Option value="">Choose a legal basis</Select.Option>
            {(Object.keys(LEGAL_BASIS_WORDS) as LegalBasis[]).map((basis) => (
              <Select.Option key={basis} value={basis}>
                {LEGAL_BASIS_WORDS[basis]}
              </Select.Option>
            ))}
          </Select>
        </>
      )}
    </div>
  );
}
