import { useQuery } from '@tanstack/react-query';
import { Button, TextInput } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../api/api-error';
import { api } from '../../../api/client';
import { QueryState } from '../../../components/query-state';
import { RefusalSummary } from '../../../components/refusal';
import { useSubmit } from '../../../hooks/use-submit';
import { myOutputsKey } from '../dashboard-page';
import { outputStatus, FRESH } from '../researcher-words';

export const projectOutputsKey = (projectId: string) => ['researcher', 'outputs', 'of', projectId] as const;

/** A project's output requests, and a new one (a title; its files are then picked from the workspace). */
export function ProjectOutputs({ projectId, mayCreate }: { projectId: string; mayCreate: boolean }) {
  const outputs = useQuery({
    queryKey: projectOutputsKey(projectId),
    staleTime: FRESH,
    queryFn: () =>
      unwrap(api.GET('/outputs', { params: { query: { scope: 'mine', projectId, pageSize: 100 } } })),
  });
  return (
    <section aria-labelledby="outputs-heading">
      <h2 id="outputs-heading">Output requests</h2>
      <QueryState query={outputs} what="Loading the output requests">
        {(page) =>
          page.items.length === 0 ? (
            <p>No output requests yet.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {page.items.map((o) => (
                <li key={o.id}>
                  <Link to={`/researcher/outputs/${o.id}`}>{o.title}</Link>: {outputStatus(o.status).words},{' '}
                  {o.files} {o.files === 1 ? 'file' : 'files'}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      {mayCreate && <NewOutputRequest projectId={projectId} />}
    </section>
  );
}

function NewOutputRequest({ projectId }: { projectId: string }) {
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const create = useSubmit({
    send: (input: { title: string }) =>
      unwrap(api.POST('/outputs', { body: { projectId, title: input.title } })),
    invalidates: [projectOutputsKey(projectId), myOutputsKey],
    onSuccess: (created) => void navigate(`/researcher/outputs/${created.id}`),
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        create.submit({ title });
      }}
    >
      <h3>Request outputs</h3>
      {create.refusal && <RefusalSummary error={create.refusal} fieldIds={{ title: 'output-title' }} />}
      <TextInput
        id="output-title"
        label="What the outputs are, for the checkers"
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        error={create.errorFor('title')}
      />
      <Button type="submit" disabled={create.pending}>
        Start an output request
      </Button>
    </form>
  );
}
