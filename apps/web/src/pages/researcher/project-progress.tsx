import { Button, InsetText } from 'nhsuk-react-components';
import { unwrap } from '../../api/api-error';
import { api, type Schemas } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { StepList } from '../../components/step-list';
import { usePolling } from '../../hooks/use-polling';
import { useSubmit } from '../../hooks/use-submit';
import {
  extractSettled,
  extractSteps,
  workspaceSettled,
  workspaceStateWords,
  workspaceSteps,
} from './researcher-words';

type Extract = Schemas['ExtractDto'];
type Workspace = Schemas['WorkspaceDto'];

/** The newest extract of the project, step by step with its counts; asks again until it is ready or failed. */
export function ExtractProgress({ projectId }: { projectId: string }) {
  const extracts = usePolling({
    queryKey: ['researcher', 'extracts', projectId],
    queryFn: () =>
      unwrap(
        api.GET('/projects/{id}/extracts', { params: { path: { id: projectId }, query: { pageSize: 1 } } }),
      ),
    // No extract yet (the approval has just been made): keep asking.
    isSettled: (page) => page.items[0] !== undefined && extractSettled(page.items[0]),
  });
  return (
    <section aria-labelledby="extract-heading">
      <h2 id="extract-heading">Your data extract</h2>
      <QueryState query={extracts} what="Loading the extract">
        {(page) => {
          const extract: Extract | undefined = newest(page.items);
          if (!extract) return <p role="status">The extract has not started yet.</p>;
          return (
            <>
              <p role="status">
                {extract.status === 'ready'
                  ? 'The extract is ready.'
                  : extract.status === 'failed'
                    ? `The extract failed: ${extract.failureReason ?? 'no reason given'}.`
                    : 'The extract is being built. This page updates by itself.'}
              </p>
              <StepList label="Extract steps" steps={extractSteps(extract)} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

const newest = (extracts: Extract[]): Extract | undefined =>
  [...extracts].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

/** The project's workspace (the one not removed), step by step, and "Open workspace" once it is ready. */
export function WorkspaceProgress({ projectId }: { projectId: string }) {
  const list = usePolling({
    queryKey: ['researcher', 'workspaces', 'of', projectId],
    queryFn: () => unwrap(api.GET('/workspaces', { params: { query: { pageSize: 100 } } })),
    isSettled: (page) => page.items.some((w) => w.projectId === projectId),
  });
  const workspaceId = list.data?.items.find((w) => w.projectId === projectId && w.state !== 'deleted')?.id;
  return (
    <section aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">Your workspace</h2>
      <QueryState query={list} what="Loading the workspace">
        {() =>
          workspaceId ? (
            <WorkspaceDetail workspaceId={workspaceId} />
          ) : (
            <p role="status">The workspace has not been requested yet.</p>
          )
        }
      </QueryState>
    </section>
  );
}

function WorkspaceDetail({ workspaceId }: { workspaceId: string }) {
  const workspace = usePolling({
    queryKey: ['researcher', 'workspace', workspaceId],
    queryFn: () => unwrap(api.GET('/workspaces/{id}', { params: { path: { id: workspaceId } } })),
    isSettled: workspaceSettled,
  });
  return (
    <QueryState query={workspace} what="Loading the workspace">
      {(w: Workspace) => (
        <>
          <p role="status">
            {workspaceStateWords(w.state)}: {w.progress.done} of {w.progress.total} steps done ({w.tool},{' '}
            {w.size}
            ).
            {w.failureReason ? ` ${w.failureReason}` : ''}
          </p>
          {w.clusterNotice && <InsetText>{w.clusterNotice}</InsetText>}
          <StepList label="Workspace steps" steps={workspaceSteps(w)} />
          {w.state === 'ready' && <OpenWorkspace workspaceId={w.id} tool={w.tool} />}
        </>
      )}
    </QueryState>
  );
}

/**
 * A one-time ticket (60 s) for the access gateway, spent at once by going to its address in a new tab: the
 * gateway turns it into a cookie for this workspace only, and this tab keeps its sign-in (held in memory, it
 * would not survive leaving the page). The tab is opened on the click itself, so no pop-up blocker stops it,
 * without a way back to this page (opener cleared); a refusal (lapsed accreditation, not a member) closes it
 * and shows here.
 */
export function OpenWorkspace({ workspaceId, tool }: { workspaceId: string; tool: string }) {
  const open = useSubmit({
    send: async (tab: Window | null) => {
      try {
        const ticket = await unwrap(
          api.POST('/workspaces/{id}/sessions', { params: { path: { id: workspaceId } } }),
        );
        if (tab) tab.location.href = ticket.openUrl;
        else window.location.assign(ticket.openUrl);
        return ticket;
      } catch (error) {
        tab?.close();
        throw error;
      }
    },
  });
  return (
    <>
      {open.refusal && <RefusalSummary error={open.refusal} />}
      <Button
        type="button"
        disabled={open.pending}
        onClick={() => {
          const tab = window.open('', '_blank');
          if (tab) tab.opener = null;
          open.submit(tab);
        }}
      >
        Open workspace
      </Button>
      <p className="nhsuk-body-s">Opens {tool} through the access gateway in a new tab.</p>
    </>
  );
}
