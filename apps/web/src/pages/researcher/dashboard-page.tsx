import './researcher.css';
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'nhsuk-react-components';
import { Link } from 'react-router';
import { unwrap } from '../../api/api-error';
import { api, type Schemas } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { RequireSignIn } from './require-researcher';
import {
  dateWords,
  OUTPUT_NEEDS_ME,
  outputStatus,
  PROJECT_NEEDS_ME,
  projectStatus,
  timeWords,
  workspaceStateWords,
  FRESH,
} from './researcher-words';

type ProjectSummary = Schemas['ProjectSummaryDto'];
type OutputSummary = Schemas['OutputSummaryDto'];

export const myProjectsKey = ['researcher', 'projects'] as const;
export const myOutputsKey = ['researcher', 'outputs'] as const;
export const myWorkspacesKey = ['researcher', 'workspaces'] as const;

/** The researcher's home: what needs them now, then their projects, workspaces and output requests. */
export function ResearcherDashboardPage() {
  usePageTitle('Your research');
  return (
    <RequireSignIn>
      <Dashboard />
    </RequireSignIn>
  );
}

function Dashboard() {
  const projects = useQuery({
    queryKey: myProjectsKey,
    staleTime: FRESH,
    queryFn: () => unwrap(api.GET('/projects', { params: { query: { scope: 'mine', pageSize: 100 } } })),
  });
  const outputs = useQuery({
    queryKey: myOutputsKey,
    staleTime: FRESH,
    queryFn: () => unwrap(api.GET('/outputs', { params: { query: { scope: 'mine', pageSize: 100 } } })),
  });
  const workspaces = useQuery({
    queryKey: myWorkspacesKey,
    staleTime: FRESH,
    queryFn: () => unwrap(api.GET('/workspaces', { params: { query: { pageSize: 100 } } })),
  });
  const titleOf = (projectId: string) =>
    projects.data?.items.find((p) => p.id === projectId)?.title ?? 'A project';

  return (
    <>
      <h1>Your research</h1>
      <p>
        <Link className="nhsuk-button" to="/researcher/apply">
          Apply for a project
        </Link>
      </p>
      <section aria-labelledby="needs-me">
        <h2 id="needs-me">What needs you now</h2>
        <QueryState query={projects} what="Loading your applications">
          {(page) => (
            <QueryState query={outputs} what="Loading your output requests">
              {(outputPage) => (
                <NeedsMe
                  projects={page.items.filter((p) => PROJECT_NEEDS_ME.includes(p.status))}
                  outputs={outputPage.items.filter((o) => OUTPUT_NEEDS_ME.includes(o.status))}
                  titleOf={titleOf}
                />
              )}
            </QueryState>
          )}
        </QueryState>
      </section>
      <section aria-labelledby="my-projects">
        <h2 id="my-projects">Your projects</h2>
        <QueryState query={projects} what="Loading your projects">
          {(page) => <ProjectTable projects={page.items} />}
        </QueryState>
      </section>
      <section aria-labelledby="my-workspaces">
        <h2 id="my-workspaces">Your workspaces</h2>
        <QueryState query={workspaces} what="Loading your workspaces">
          {(page) =>
            page.items.length === 0 ? (
              <p>You have no workspaces yet. A workspace is set up when a project is approved.</p>
            ) : (
              <ul className="nhsuk-list nhsuk-list--border">
                {page.items.map((w) => (
                  <li key={w.id}>
                    <Link to={`/researcher/projects/${w.projectId}`}>{titleOf(w.projectId)}</Link>:{' '}
                    {workspaceStateWords(w.state)} ({w.tool}, {w.size})
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </section>
      <section aria-labelledby="my-outputs">
        <h2 id="my-outputs">Your output requests</h2>
        <QueryState query={outputs} what="Loading your output requests">
          {(page) => <OutputTable outputs={page.items} titleOf={titleOf} />}
        </QueryState>
      </section>
    </>
  );
}

function NeedsMe({
  projects,
  outputs,
  titleOf,
}: {
  projects: ProjectSummary[];
  outputs: OutputSummary[];
  titleOf: (projectId: string) => string;
}) {
  if (projects.length === 0 && outputs.length === 0) return <p>Nothing is waiting for you.</p>;
  return (
    <ul className="nhsuk-list nhsuk-list--border">
      {projects.map((p) => (
        <li key={p.id}>
          <Link
            to={p.status === 'draft' ? `/researcher/projects/${p.id}/edit` : `/researcher/projects/${p.id}`}
          >
            {p.title}
          </Link>
          :{' '}
          {p.status === 'draft'
            ? 'a draft application to finish and submit'
            : 'returned by the committee: read their comments, change it and resubmit'}
        </li>
      ))}
      {outputs.map((o) => (
        <li key={o.id}>
          <Link to={`/researcher/outputs/${o.id}`}>{o.title}</Link> ({titleOf(o.projectId)}):{' '}
          {o.status === 'draft'
            ? 'a draft output request to finish and submit'
            : o.status === 'blocked'
              ? 'blocked by the disclosure checks: see the flagged cells'
              : 'returned by the output checkers: read their comments'}
        </li>
      ))}
    </ul>
  );
}

function ProjectTable({ projects }: { projects: ProjectSummary[] }) {
  if (projects.length === 0) return <p>You have no projects yet.</p>;
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Your projects</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            Project
          </th>
          <th scope="col" className="nhsuk-table__header">
            Status
          </th>
          <th scope="col" className="nhsuk-table__header">
            Ends on
          </th>
          <th scope="col" className="nhsuk-table__header">
            Last change
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {projects.map((p) => (
          <tr key={p.id} className="nhsuk-table__row">
            <td className="nhsuk-table__cell">
              <Link to={`/researcher/projects/${p.id}`}>{p.title}</Link>
            </td>
            <td className="nhsuk-table__cell">
              <Tag modifier={projectStatus(p.status).colour}>{projectStatus(p.status).words}</Tag>
            </td>
            <td className="nhsuk-table__cell">{dateWords(p.endDate ?? p.requestedEndDate)}</td>
            <td className="nhsuk-table__cell">{timeWords(p.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OutputTable({ outputs, titleOf }: { outputs: OutputSummary[]; titleOf: (id: string) => string }) {
  if (outputs.length === 0) return <p>You have no output requests yet.</p>;
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Your output requests</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">
            Request
          </th>
          <th scope="col" className="nhsuk-table__header">
            Project
          </th>
          <th scope="col" className="nhsuk-table__header">
            Status
          </th>
          <th scope="col" className="nhsuk-table__header">
            Files
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {outputs.map((o) => (
          <tr key={o.id} className="nhsuk-table__row">
            <td className="nhsuk-table__cell">
              <Link to={`/researcher/outputs/${o.id}`}>{o.title}</Link>
            </td>
            <td className="nhsuk-table__cell">{titleOf(o.projectId)}</td>
            <td className="nhsuk-table__cell">
              <Tag modifier={outputStatus(o.status).colour}>{outputStatus(o.status).words}</Tag>
            </td>
            <td className="nhsuk-table__cell">{o.files}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
