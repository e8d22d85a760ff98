import { useQuery } from '@tanstack/react-query';
import { BackLink, SummaryList, Tag } from 'nhsuk-react-components';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { dateTimeWords } from '../checker/checker-words';
import { applicationChanges } from './application-changes';
import { CommitteeVote } from './committee-vote';
import { ColumnHeads } from '../../components/column-heads';

type Project = Schemas['ProjectDto'];
type Dataset = Schemas['DatasetDto'];

const CLASSIFICATION: Record<string, string> = {
  direct_identifier: 'Direct identifier',
  quasi_identifier: 'Quasi-identifier',
  sensitive: 'Sensitive',
  attribute: 'Attribute',
};
const RELEASE_FORM: Record<string, string> = {
  drop: 'Never released',
  pseudonymise: 'Pseudonymised',
  generalise: 'Generalised',
  keep: 'As recorded',
};

/** An application for the committee: the frozen version, its data against the catalogue, changes, votes. */
export function ApplicationReviewPage() {
  const { id = '' } = useParams();
  const project = useQuery({
    queryKey: ['projects', id],
    queryFn: () => unwrap(api.GET('/projects/{id}', { params: { path: { id } } })),
  });
  usePageTitle(project.data ? `Review: ${project.data.title}` : 'Review an application');
  return (
    <>
      <BackLink asElement={Link} to="/committee">
        Back to applications to review
      </BackLink>
      <QueryState query={project} what="Loading the application">
        {(data) => <ApplicationReview project={data} />}
      </QueryState>
    </>
  );
}

function ApplicationReview({ project }: { readonly project: Project }) {
  const version = project.applicationVersion;
  const frozen = useQuery({
    queryKey: ['projects', project.id, 'versions', version],
    queryFn: () =>
      unwrap(api.GET('/projects/{id}/versions/{version}', { params: { path: { id: project.id, version } } })),
  });
  const catalogue = useQuery({
    queryKey: ['datasets', 'all'],
    queryFn: () => unwrap(api.GET('/datasets', { params: { query: { page: 1, pageSize: 200 } } })),
  });
  return (
    <>
      <span className="nhsuk-caption-l">{project.organisation}</span>
      <h1>{project.title}</h1>
      <SummaryList>
        <Row name="Status">
          <Tag>{project.status.replace(/_/g, ' ')}</Tag>
        </Row>
        <Row name="Version under review">
          {version}
          {frozen.data ? `, frozen ${dateTimeWords(frozen.data.submittedAt)}` : ''}
        </Row>
        <Row name="Requested end date">{project.requestedEndDate}</Row>
        <Row name="Members">{project.members.map((m) => `${m.subject} (${m.role})`).join(', ')}</Row>
      </SummaryList>
      <h2>Lay summary</h2>
      <p>{project.laySummary}</p>
      <h2>Scientific purpose</h2>
      <p>{project.scientificPurpose}</p>
      <h2>Public benefit</h2>
      <p>{project.publicBenefit}</p>

      <h2>Data asked for</h2>
      <QueryState query={catalogue} what="Loading the catalogue">
        {(datasets) => (
          <>
            {project.datasets.map((asked) => (
              <DatasetAgainstCatalogue
                key={asked.datasetCode}
                asked={asked}
                dataset={datasets.items.find((d) => d.code === asked.datasetCode)}
              />
            ))}
          </>
        )}
      </QueryState>

      <h2>What changed since the last version</h2>
      {version === 1 ? <p>This is the first version.</p> : <Changes project={project} />}

      <CommitteeVote project={project} />
    </>
  );
}

function DatasetAgainstCatalogue({
  asked,
  dataset,
}: {
  readonly asked: Schemas['RequestedDatasetDto'];
  readonly dataset: Dataset | undefined;
}) {
  if (!dataset) return <p>{asked.datasetCode}: not in the catalogue.</p>;
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption">
        {dataset.title} ({dataset.code}), legal basis: {asked.legalBasis}
      </caption>
      <ColumnHeads names={['Field', 'Asked for', 'Classification', 'Release form']} />
      <tbody className="nhsuk-table__body">
        {dataset.fields.map((field) => (
          <tr key={field.name} className="nhsuk-table__row">
            <th scope="row" className="nhsuk-table__header">
              {field.name}
            </th>
            <td className="nhsuk-table__cell">{asked.fields.includes(field.name) ? 'Yes' : 'No'}</td>
            <td className="nhsuk-table__cell">
              {CLASSIFICATION[field.classification] ?? field.classification}
            </td>
            <td className="nhsuk-table__cell">
              {RELEASE_FORM[field.releaseForm] ?? field.releaseForm}
              {field.generaliseLevel ? ` (${field.generaliseLevel.replace(/_/g, ' ')})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Changes({ project }: { readonly project: Project }) {
  const version = project.applicationVersion;
  const versions = useQuery({
    queryKey: ['projects', project.id, 'versions', 'pair', version],
    queryFn: async () => {
      const load = (v: number) =>
        unwrap(
          api.GET('/projects/{id}/versions/{version}', { params: { path: { id: project.id, version: v } } }),
        );
      return Promise.all([load(version - 1), load(version)]);
    },
  });
  return (
    <QueryState query={versions} what="Comparing with the last version">
      {([before, after]) => {
        const changes = applicationChanges(before.content, after.content);
        if (changes.length === 0) return <p>Nothing changed since version {version - 1}.</p>;
        return (
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">
              Changes from version {version - 1} to {version}
            </caption>
            <ColumnHeads names={['What', 'Before', 'Now']} />
            <tbody className="nhsuk-table__body">
              {changes.map((c) => (
                <tr key={c.what} className="nhsuk-table__row">
                  <th scope="row" className="nhsuk-table__header">
                    {c.what}
                  </th>
                  <td className="nhsuk-table__cell">{c.before}</td>
                  <td className="nhsuk-table__cell">{c.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      }}
    </QueryState>
  );
}

function Row({ name, children }: { readonly name: string; readonly children: ReactNode }) {
  return (
    <SummaryList.Row>
      <SummaryList.Key>{name}</SummaryList.Key>
      <SummaryList.Value>{children}</SummaryList.Value>
    </SummaryList.Row>
  );
}
