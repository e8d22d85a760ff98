import { useQuery } from '@tanstack/react-query';
import { BackLink, SummaryList, Tag } from 'nhsuk-react-components';
import { Link, useParams } from 'react-router';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { registerEntryQuery } from './register-queries';
import {
  dateWords,
  REGISTER_STATUS_WORDS,
  statusWords,
  type RegisterEntry,
  type RegisterStatus,
} from './register-words';

/** One project's public page: what it is for, who runs it, which data on what basis, its dates and outputs. */
export function RegisterEntryPage() {
  const { id = '' } = useParams();
  const entry = useQuery(registerEntryQuery(id));
  usePageTitle(
    entry.data?.title ?? (entry.isError ? 'Project not found' : 'Project in the data uses register'),
  );
  return (
    <>
      <BackLink asElement={Link} to="/register">
        Back to the register
      </BackLink>
      {entry.data ? (
        <RegisterEntryDetails project={entry.data} />
      ) : entry.isError ? (
        <>
          <h1>Project not found</h1>
          <RefusalSummary error={entry.error} />
        </>
      ) : (
        <p role="status">Loading the project…</p>
      )}
    </>
  );
}

function RegisterEntryDetails({ project }: { project: RegisterEntry }) {
  return (
    <>
      <h1>{project.title}</h1>
      <p className="nhsuk-lede-text">{project.laySummary}</p>
      <SummaryList>
        <SummaryList.Row>
          <SummaryList.Key>Organisation</SummaryList.Key>
          <SummaryList.Value>{project.organisation}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Status</SummaryList.Key>
          <SummaryList.Value>
            <Tag modifier={REGISTER_STATUS_WORDS[project.status as RegisterStatus]?.colour}>
              {statusWords(project.status)}
            </Tag>
          </SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Approved on</SummaryList.Key>
          <SummaryList.Value>{dateWords(project.approvedOn)}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Ends on</SummaryList.Key>
          <SummaryList.Value>{dateWords(project.endDate)}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Outputs released</SummaryList.Key>
          <SummaryList.Value>{project.outputsReleased}</SummaryList.Value>
        </SummaryList.Row>
      </SummaryList>
      <h2>Data used</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
          Datasets and their legal basis
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Dataset
            </th>
            <th scope="col" className="nhsuk-table__header">
              Legal basis
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {project.datasets.map((dataset) => (
            <tr key={dataset.code} className="nhsuk-table__row">
              <td className="nhsuk-table__cell">
                {dataset.title} ({dataset.code})
              </td>
              <td className="nhsuk-table__cell">{dataset.legalBasis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
