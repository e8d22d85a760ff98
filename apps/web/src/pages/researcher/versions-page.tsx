import './researcher.css';
import { useQueries, useQuery } from '@tanstack/react-query';
import { BackLink, Select } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { projectKey } from './project-page';
import { RequireSignIn } from './require-researcher';
import { timeWords } from './researcher-words';

/** The sections of a submitted version, in the order the application asks them. */
const SECTIONS: { key: string; name: string }[] = [
  { key: 'title', name: 'Title' },
  { key: 'organisation', name: 'Organisation' },
  { key: 'scientificPurpose', name: 'Scientific purpose' },
  { key: 'laySummary', name: 'Lay summary' },
  { key: 'publicBenefit', name: 'Public benefit' },
  { key: 'requestedEndDate', name: 'End date' },
  { key: 'accreditationExpiresOn', name: "Lead's accreditation expires" },
  { key: 'members', name: 'Other members' },
  { key: 'datasets', name: 'Data' },
  { key: 'workspace', name: 'Workspace' },
];

/** A section's value in words: lists of members and datasets one per line, objects as "key: value". */
export function sectionWords(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'Not given';
  if (Array.isArray(value)) return value.length ? value.map(sectionWords).join('\n') : 'None';
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${Array.isArray(inner) ? inner.join(', ') : sectionWords(inner)}`)
      .join('; ');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** Two submitted versions of an application side by side, each section marked when it changed. */
export function VersionsPage() {
  return (
    <RequireSignIn>
      <Versions />
    </RequireSignIn>
  );
}

function Versions() {
  usePageTitle('Versions of your application');
  const { id = '' } = useParams();
  const project = useQuery({
    queryKey: projectKey(id),
    queryFn: () => unwrap(api.GET('/projects/{id}', { params: { path: { id } } })),
  });
  return (
    <>
      <BackLink asElement={Link} to={`/researcher/projects/${id}`}>
        Back to the project
      </BackLink>
      <h1>Versions of your application</h1>
      <QueryState query={project} what="Loading the application">
        {(p) =>
          p.applicationVersion < 1 ? (
            <p>This application has not been submitted yet.</p>
          ) : (
            <Comparison projectId={p.id} latest={p.applicationVersion} />
          )
        }
      </QueryState>
    </>
  );
}

function Comparison({ projectId, latest }: { projectId: string; latest: number }) {
  const [left, setLeft] = useState(Math.max(1, latest - 1));
  const [right, setRight] = useState(latest);
  const numbers = Array.from({ length: latest }, (_, i) => i + 1);
  const versions = useQueries({
    queries: [left, right].map((version) => ({
      queryKey: ['researcher', 'version', projectId, version],
      queryFn: () =>
        unwrap(
          api.GET('/projects/{id}/versions/{version}', { params: { path: { id: projectId, version } } }),
        ),
      staleTime: Infinity,
    })),
  });
  const failed = versions.find((v) => v.isError);
  const [a, b] = versions.map((v) => v.data);
  return (
    <>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="left-version"
            label="Compare version"
            value={String(left)}
            onChange={(e) => setLeft(Number(e.target.value))}
          >
            {numbers.map((n) => (
              <Select.Option key={n} value={n}>
                Version {n}
              </Select.Option>
            ))}
          </Select>
        </div>
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="right-version"
            label="With version"
            value={String(right)}
            onChange={(e) => setRight(Number(e.target.value))}
          >
            {numbers.map((n) => (
              <Select.Option key={n} value={n}>
                Version {n}
              </Select.Option>
            ))}
          </Select>
        </div>
      </div>
      {failed && <RefusalSummary error={failed.error} />}
      {a && b ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption">
            Version {a.version} (submitted {timeWords(a.submittedAt)}) and version {b.version} (submitted{' '}
            {timeWords(b.submittedAt)})
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                Section
              </th>
              <th scope="col" className="nhsuk-table__header">
                Version {a.version}
              </th>
              <th scope="col" className="nhsuk-table__header">
                Version {b.version}
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {SECTIONS.map(({ key, name }) => {
              const before = sectionWords(a.content[key]);
              const after = sectionWords(b.content[key]);
              return (
                <tr key={key} className="nhsuk-table__row">
                  <th scope="row" className="nhsuk-table__header">
                    {name}
                    {before !== after && (
                      <strong className="nhsuk-tag nhsuk-tag--orange app-changed">Changed</strong>
                    )}
                  </th>
                  <td className="nhsuk-table__cell app-pre-line">{before}</td>
                  <td className="nhsuk-table__cell app-pre-line">{after}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        !failed && <p role="status">Loading the versions…</p>
      )}
    </>
  );
}
