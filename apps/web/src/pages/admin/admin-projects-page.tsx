import { useQuery } from '@tanstack/react-query';
import { Button, Select, Textarea } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { ColumnHeads } from '../../components/column-heads';
import { totalWords } from '../../components/pager';

type Action = 'suspend' | 'resume' | 'revoke' | 'close';
const ACTIONS: Record<Action, string> = {
  suspend: 'Suspend',
  resume: 'Resume',
  revoke: 'Revoke',
  close: 'Close',
};
/** What each status allows (the API refuses anything else with a 409 saying why). */
const OFFERED: Record<string, Action[]> = {
  approved: ['suspend', 'revoke', 'close'],
  suspended: ['resume', 'revoke', 'close'],
};

/** Every project for admins, each approved or suspended one with its actions, each needing a reason. */
export function AdminProjectsPage() {
  usePageTitle('Projects');
  const projects = useQuery({
    queryKey: ['projects', 'all'],
    queryFn: () =>
      unwrap(api.GET('/projects', { params: { query: { scope: 'all', page: 1, pageSize: 200 } } })),
  });
  return (
    <>
      <h1>Projects</h1>
      <QueryState query={projects} what="Loading the projects">
        {(data) => (
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">
              {totalWords(data.total, data.totalIsLowerBound)}{' '}
              {data.total === 1 && !data.totalIsLowerBound ? 'project' : 'projects'}
            </caption>
            <ColumnHeads names={['Project', 'Status', 'Ends', 'Action']} />
            <tbody className="nhsuk-table__body">
              {data.items.map((project) => (
                <ProjectRow key={project.id} project={project} />
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </>
  );
}

function ProjectRow({ project }: { readonly project: Schemas['ProjectSummaryDto'] }) {
  const offered = OFFERED[project.status] ?? [];
  const [action, setAction] = useState<Action | ''>('');
  const [reason, setReason] = useState('');
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: (chosen: Action) =>
      unwrap(
        api.POST(`/projects/{id}/${chosen}`, {
          params: { path: { id: project.id } },
          body: { reason },
        }),
      ),
    invalidates: [['projects']],
    onSuccess: () => {
      setAction('');
      setReason('');
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (action) submit(action);
  };
  return (
    <tr className="nhsuk-table__row">
      <th scope="row" className="nhsuk-table__header">
        {project.title}
      </th>
      <td className="nhsuk-table__cell">{project.status.replace(/_/g, ' ')}</td>
      <td className="nhsuk-table__cell">{project.endDate ?? project.requestedEndDate}</td>
      <td className="nhsuk-table__cell">
        {offered.length > 0 && (
          <form onSubmit={onSubmit} noValidate>
            {refusal && <RefusalSummary error={refusal} fieldIds={{ reason: `reason-${project.id}` }} />}
            <Select
              id={`action-${project.id}`}
              label={`Action on ${project.title}`}
              value={action}
              onChange={(event) => setAction(event.target.value as Action)}
            >
              <Select.Option value="">Choose</Select.Option>
              {offered.map((a) => (
                <Select.Option key={a} value={a}>
                  {ACTIONS[a]}
                </Select.Option>
              ))}
            </Select>
            <Textarea
              id={`reason-${project.id}`}
              label={`Reason for ${project.title}`}
              rows={2}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={errorFor('reason')}
            />
            <Button type="submit" secondary disabled={pending || !action}>
              Apply to {project.title}
            </Button>
          </form>
        )}
      </td>
    </tr>
  );
}
