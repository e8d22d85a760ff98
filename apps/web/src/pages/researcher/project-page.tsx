import './researcher.css';
import { useQuery } from '@tanstack/react-query';
import { BackLink, Button, SummaryList, Tag } from 'nhsuk-react-components';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../api/api-error';
import { api, type Schemas } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { myProjectsKey } from './dashboard-page';
import { ProjectOutputs } from './outputs/project-outputs';
import { ExtractProgress, WorkspaceProgress } from './project-progress';
import { RequireSignIn } from './require-researcher';
import { dateWords, projectStatus, stepLabel, timeWords, type Project, FRESH } from './researcher-words';

export const projectKey = (id: string) => ['researcher', 'project', id] as const;

/** Shown once a project has been approved: data, workspace and outputs exist only from then. */
const APPROVED_ONCE: readonly Project['status'][] = ['approved', 'suspended', 'revoked', 'expired', 'closed'];

/** One of the researcher's projects: where it stands, what was approved, its progress and history. */
export function ResearcherProjectPage() {
  return (
    <RequireSignIn>
      <ProjectView />
    </RequireSignIn>
  );
}

function ProjectView() {
  const { id = '' } = useParams();
  const project = useQuery({
    queryKey: projectKey(id),
    staleTime: FRESH,
    queryFn: () => unwrap(api.GET('/projects/{id}', { params: { path: { id } } })),
  });
  usePageTitle(project.data?.title ?? (project.isError ? 'Project not available' : 'Project'));
  return (
    <>
      <BackLink asElement={Link} to="/researcher">
        Back to your research
      </BackLink>
      {project.data === undefined && project.isError && <h1>Project not available</h1>}
      <QueryState query={project} what="Loading the project">
        {(p) => <ProjectDetails project={p} />}
      </QueryState>
    </>
  );
}

function ProjectDetails({ project }: { project: Project }) {
  const status = projectStatus(project.status);
  return (
    <>
      <h1>{project.title}</h1>
      <p>
        <Tag modifier={status.colour}>{status.words}</Tag>
      </p>
      {project.status === 'draft' && <DraftActions project={project} />}
      {project.status === 'returned' && <ReturnedActions project={project} />}
      {project.status === 'returned' && <CommitteeComments projectId={project.id} />}
      <SummaryList>
        <Row name="Organisation">{project.organisation}</Row>
        <Row name="Lay summary">{project.laySummary}</Row>
        <Row name="End date asked for">{dateWords(project.requestedEndDate)}</Row>
        <Row name="Members">
          {project.members
            .map((m) => `${m.subject} (${m.role}${m.accreditationLapsed ? ', accreditation lapsed' : ''})`)
            .join(', ')}
        </Row>
        <Row name="Application version">
          {project.applicationVersion > 0 ? (
            <>
              {project.applicationVersion}{' '}
              <Link to={`/researcher/projects/${project.id}/versions`}>Compare versions</Link>
            </>
          ) : (
            'Not submitted yet'
          )}
        </Row>
      </SummaryList>
      {project.approval && <ApprovedTerms approval={project.approval} />}
      {APPROVED_ONCE.includes(project.status) && (
        <>
          <ExtractProgress projectId={project.id} />
          <WorkspaceProgress projectId={project.id} />
          <ProjectOutputs projectId={project.id} mayCreate={project.status === 'approved'} />
        </>
      )}
      <Timeline projectId={project.id} />
    </>
  );
}

function Row({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <SummaryList.Row>
      <SummaryList.Key>{name}</SummaryList.Key>
      <SummaryList.Value>{children}</SummaryList.Value>
    </SummaryList.Row>
  );
}

function DraftActions({ project }: { project: Project }) {
  const submit = useSubmit({
    send: () => unwrap(api.POST('/projects/{id}/submit', { params: { path: { id: project.id } } })),
    invalidates: [projectKey(project.id), myProjectsKey],
  });
  return (
    <>
      {submit.refusal && <RefusalSummary error={submit.refusal} />}
      <p>This application is a draft: the committee has not seen it.</p>
      <div className="nhsuk-button-group">
        <Link className="nhsuk-button nhsuk-button--secondary" to={`/researcher/projects/${project.id}/edit`}>
          Continue the application
        </Link>
        <Button type="button" onClick={() => submit.submit(undefined)} disabled={submit.pending}>
          Submit the application
        </Button>
      </div>
    </>
  );
}

function ReturnedActions({ project }: { project: Project }) {
  return (
    <p>
      The committee returned this application for changes.{' '}
      <Link to={`/researcher/projects/${project.id}/edit`}>Change and resubmit the application</Link>
    </p>
  );
}

/** The committee's votes, shown to the applicants once the decision is made. */
export function CommitteeComments({ projectId }: { projectId: string }) {
  const votes = useQuery({
    queryKey: ['researcher', 'votes', projectId],
    staleTime: FRESH,
    queryFn: () => unwrap(api.GET('/projects/{id}/votes', { params: { path: { id: projectId } } })),
  });
  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">The committee&apos;s comments</h2>
      <QueryState query={votes} what="Loading the committee's comments">
        {(page) =>
          page.items.length === 0 ? (
            <p>No comments.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {page.items.map((vote) => (
                <li key={`${vote.reviewerId}:${vote.applicationVersion}`}>
                  <strong>{VOTE_WORDS[vote.decision]}</strong> on version {vote.applicationVersion},{' '}
                  {timeWords(vote.castAt)}: {vote.comment}
                  {vote.conditions.length > 0 && <> Conditions: {vote.conditions.join('; ')}</>}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

const VOTE_WORDS: Record<Schemas['VoteViewDto']['decision'], string> = {
  approve: 'Approve',
  reject: 'Reject',
  request_changes: 'Changes requested',
};

function ApprovedTerms({ approval }: { approval: Schemas['ApprovalDto'] }) {
  return (
    <section aria-labelledby="terms-heading">
      <h2 id="terms-heading">Approved terms</h2>
      <SummaryList>
        <Row name="Approved on">{dateWords(approval.approvedAt)}</Row>
        <Row name="Ends on">{dateWords(approval.endDate)}</Row>
        <Row name="Conditions">{approval.conditions.length ? approval.conditions.join('; ') : 'None'}</Row>
        <Row name="Workspace">
          {approval.workspace ? `${approval.workspace.tool}, ${approval.workspace.size}` : 'The default'}
        </Row>
      </SummaryList>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption">Data approved</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Dataset
            </th>
            <th scope="col" className="nhsuk-table__header">
              Fields
            </th>
            <th scope="col" className="nhsuk-table__header">
              Legal basis
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {approval.datasets.map((d) => (
            <tr key={d.code} className="nhsuk-table__row">
              <td className="nhsuk-table__cell">{d.code}</td>
              <td className="nhsuk-table__cell">{d.fields.join(', ')}</td>
              <td className="nhsuk-table__cell">{d.legalBasis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Timeline({ projectId }: { projectId: string }) {
  const timeline = useQuery({
    queryKey: ['researcher', 'timeline', projectId],
    staleTime: FRESH,
    queryFn: () =>
      unwrap(
        api.GET('/projects/{id}/timeline', { params: { path: { id: projectId }, query: { pageSize: 100 } } }),
      ),
  });
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <QueryState query={timeline} what="Loading the timeline">
        {(page) => (
          <ol className="nhsuk-list nhsuk-list--border" aria-labelledby="timeline-heading">
            {page.items.map((event) => (
              <li key={event.seq}>
                {timeWords(event.occurredAt)}: {stepLabel(event.action.replace(/\./g, ' '))}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}
