import { BackLink, Button, SummaryList, WarningCallout } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { StepList } from '../../components/step-list';
import { usePageTitle } from '../../hooks/use-page-title';
import { usePolling } from '../../hooks/use-polling';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from '../checker/checker-words';
import { workspaceSettled, workspaceStateWords, workspaceSteps } from '../researcher/researcher-words';
import { workspaceActions, type Workspace } from './admin-words';

type Action = 'suspend' | 'resume' | 'delete';

/**
 * One workspace for an admin: its state and steps (attempts, errors and the next retry of each), asked again
 * every few seconds while it changes; suspend, resume, and delete after a confirmation.
 */
export function AdminWorkspacePage() {
  usePageTitle('Workspace');
  const { id = '' } = useParams();
  const workspace = usePolling({
    queryKey: ['workspaces', 'admin', 'one', id],
    queryFn: () => unwrap(api.GET('/workspaces/{id}', { params: { path: { id } } })),
    isSettled: workspaceSettled,
  });
  return (
    <>
      <BackLink asElement={Link} to="/admin/workspaces">
        All workspaces
      </BackLink>
      <h1>Workspace</h1>
      <QueryState query={workspace} what="Loading the workspace">
        {(w) => <WorkspaceDetail workspace={w} />}
      </QueryState>
    </>
  );
}

function WorkspaceDetail({ workspace: w }: { readonly workspace: Workspace }) {
  const [confirming, setConfirming] = useState(false);
  const { submit, pending, refusal } = useSubmit({
    send: (action: Action) => {
      const params = { params: { path: { id: w.id } } };
      if (action === 'delete') return unwrap(api.DELETE('/workspaces/{id}', params));
      return unwrap(api.POST(`/workspaces/{id}/${action}`, params));
    },
    invalidates: [['workspaces']],
    onSuccess: () => setConfirming(false),
  });
  const offered = workspaceActions(w);
  const retrying = w.steps.filter((s) => s.nextRetryAt);
  return (
    <>
      <SummaryList>
        <SummaryList.Row>
          <SummaryList.Key>State</SummaryList.Key>
          <SummaryList.Value>
            {workspaceStateWords(w.state)}
            {w.operation ? ` (${w.operation.replace(/_/g, ' ')} under way)` : ''}
          </SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Size and tool</SummaryList.Key>
          <SummaryList.Value>
            {w.size}, {w.tool}
          </SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Namespace</SummaryList.Key>
          <SummaryList.Value>{w.namespace}</SummaryList.Value>
        </SummaryList.Row>
        <SummaryList.Row>
          <SummaryList.Key>Created</SummaryList.Key>
          <SummaryList.Value>{dateTimeWords(w.createdAt)}</SummaryList.Value>
        </SummaryList.Row>
        {w.failureReason && (
          <SummaryList.Row>
            <SummaryList.Key>Why it failed</SummaryList.Key>
            <SummaryList.Value>{w.failureReason}</SummaryList.Value>
          </SummaryList.Row>
        )}
        {w.teardownDueAt && (
          <SummaryList.Row>
            <SummaryList.Key>Removed at</SummaryList.Key>
            <SummaryList.Value>{dateTimeWords(w.teardownDueAt)}</SummaryList.Value>
          </SummaryList.Row>
        )}
      </SummaryList>
      {w.clusterNotice && (
        <WarningCallout>
          <WarningCallout.Heading>No cluster attached</WarningCallout.Heading>
          <p>{w.clusterNotice}</p>
        </WarningCallout>
      )}
      <h2>Steps</h2>
      <p>
        {w.progress.done} of {w.progress.total} steps done.{' '}
        {retrying.length > 0
          ? `${retrying.length} ${retrying.length === 1 ? 'step is' : 'steps are'} waiting to be tried again by the worker; it retries by itself.`
          : 'Failed steps are retried by the worker by itself; there is nothing to retry by hand.'}
      </p>
      <StepList label="Workspace steps" steps={workspaceSteps(w)} />
      {offered.length > 0 && (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          {refusal && <RefusalSummary error={refusal} />}
          {offered.includes('suspend') && (
            <Button type="button" secondary disabled={pending} onClick={() => submit('suspend')}>
              Suspend the workspace
            </Button>
          )}{' '}
          {offered.includes('resume') && (
            <Button type="button" secondary disabled={pending} onClick={() => submit('resume')}>
              Resume the workspace
            </Button>
          )}{' '}
          {offered.includes('delete') && !confirming && (
            <Button type="button" warning disabled={pending} onClick={() => setConfirming(true)}>
              Delete the workspace
            </Button>
          )}
          {confirming && (
            <WarningCallout>
              <WarningCallout.Heading>Delete this workspace?</WarningCallout.Heading>
              <p>
                Its tool, its volumes and everything in them are torn down, and every open session ends. This
                cannot be undone.
              </p>
              <Button type="button" warning disabled={pending} onClick={() => submit('delete')}>
                Yes, delete the workspace
              </Button>{' '}
              <Button type="button" secondary onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </WarningCallout>
          )}
        </section>
      )}
    </>
  );
}
