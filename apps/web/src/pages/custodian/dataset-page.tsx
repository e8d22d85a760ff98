import { useQuery } from '@tanstack/react-query';
import { BackLink, Button, Select } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from '../checker/checker-words';

type Field = Schemas['DatasetFieldDto'];
const CLASSIFICATIONS: Record<Field['classification'], string> = {
  direct_identifier: 'Direct identifier',
  quasi_identifier: 'Quasi-identifier',
  sensitive: 'Sensitive',
  attribute: 'Attribute',
};
const RELEASE_FORMS: Record<Field['releaseForm'], string> = {
  drop: 'Never released',
  pseudonymise: 'Pseudonymised',
  generalise: 'Generalised',
  keep: 'As recorded',
};
const ACTIONS: Record<string, string> = {
  'dataset.registered': 'Registered',
  'dataset.updated': 'Details changed',
  'dataset.field_added': 'Field added',
  'dataset.field_changed': 'Field changed',
};

/** One dataset for its custodian: each field's classification and release form, edited in place; history. */
export function DatasetPage() {
  const { code = '' } = useParams();
  const dataset = useQuery({
    queryKey: ['datasets', code],
    queryFn: () => unwrap(api.GET('/datasets/{code}', { params: { path: { code } } })),
  });
  const history = useQuery({
    queryKey: ['datasets', code, 'history'],
    queryFn: () =>
      unwrap(
        api.GET('/datasets/{code}/history', {
          params: { path: { code }, query: { page: 1, pageSize: 100 } },
        }),
      ),
  });
  usePageTitle(dataset.data?.title ?? 'Dataset');
  return (
    <>
      <BackLink asElement={Link} to="/custodian">
        Back to the catalogue
      </BackLink>
      <QueryState query={dataset} what="Loading the dataset">
        {(data) => (
          <>
            <span className="nhsuk-caption-l">{data.code}</span>
            <h1>{data.title}</h1>
            <p>{data.description}</p>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Fields</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  {['Field', 'Type', 'Classification', 'Release form', ''].map((h, i) => (
                    <th key={i} scope="col" className="nhsuk-table__header">
                      {h || <span className="nhsuk-u-visually-hidden">Change</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {data.fields.map((field) => (
                  <FieldRow key={field.name} code={data.code} field={field} />
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
      <h2>History</h2>
      <QueryState query={history} what="Loading the history">
        {(data) => (
          <ol className="nhsuk-list" aria-label="History, oldest first">
            {data.items.map((event) => (
              <li key={event.seq}>
                {dateTimeWords(event.occurredAt)}: {ACTIONS[event.action] ?? event.action}
                {typeof event.details.field === 'string' ? ` (${event.details.field})` : ''}
                {Array.isArray(event.details.changed)
                  ? ` (${(event.details.changed as string[]).join(', ')})`
                  : ''}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </>
  );
}

function FieldRow({ code, field }: { readonly code: string; readonly field: Field }) {
  const [editing, setEditing] = useState(false);
  const [classification, setClassification] = useState(field.classification);
  const [releaseForm, setReleaseForm] = useState(field.releaseForm);
  const { submit, pending, refusal } = useSubmit({
    send: () =>
      unwrap(
        api.PUT('/datasets/{code}/fields/{name}', {
          params: { path: { code, name: field.name } },
          body: {
            type: field.type,
            classification,
            releaseForm,
            description: field.description,
            ...(releaseForm === 'generalise' ? { generaliseLevel: field.generaliseLevel } : {}),
          },
        }),
      ),
    invalidates: [
      ['datasets', code],
      ['datasets', code, 'history'],
      ['datasets', 'all'],
    ],
    onSuccess: () => setEditing(false),
  });
  if (!editing)
    return (
      <tr className="nhsuk-table__row">
        <th scope="row" className="nhsuk-table__header">
          {field.name}
        </th>
        <td className="nhsuk-table__cell">{field.type}</td>
        <td className="nhsuk-table__cell">{CLASSIFICATIONS[field.classification]}</td>
        <td className="nhsuk-table__cell">
          {RELEASE_FORMS[field.releaseForm]}
          {field.generaliseLevel ? ` (${field.generaliseLevel.replace(/_/g, ' ')})` : ''}
        </td>
        <td className="nhsuk-table__cell">
          <button
            type="button"
            className="nhsuk-link-button app-link-button"
            onClick={() => setEditing(true)}
          >
            Change<span className="nhsuk-u-visually-hidden"> {field.name}</span>
          </button>
        </td>
      </tr>
    );
  return (
    <tr className="nhsuk-table__row">
      <th scope="row" className="nhsuk-table__header">
        {field.name}
      </th>
      <td className="nhsuk-table__cell" colSpan={4}>
        {refusal && <RefusalSummary error={refusal} />}
        <Select
          id={`classification-${field.name}`}
          label={`Classification of ${field.name}`}
          value={classification}
          onChange={(event) => setClassification(event.target.value as Field['classification'])}
        >
          {Object.entries(CLASSIFICATIONS).map(([value, words]) => (
            <Select.Option key={value} value={value}>
              {words}
            </Select.Option>
          ))}
        </Select>
        <Select
          id={`release-${field.name}`}
          label={`Release form of ${field.name}`}
          value={releaseForm}
          onChange={(event) => setReleaseForm(event.target.value as Field['releaseForm'])}
        >
          {Object.entries(RELEASE_FORMS).map(([value, words]) => (
            <Select.Option key={value} value={value}>
              {words}
            </Select.Option>
          ))}
        </Select>
        <Button type="button" onClick={() => submit(undefined)} disabled={pending}>
          Save {field.name}
        </Button>{' '}
        <Button type="button" secondary onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </td>
    </tr>
  );
}
