import '../researcher.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { BackLink, Button, Tag, Textarea } from 'nhsuk-react-components';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../api/api-error';
import { api, type Schemas } from '../../../api/client';
import { QueryState } from '../../../components/query-state';
import { RefusalSummary } from '../../../components/refusal';
import { usePageTitle } from '../../../hooks/use-page-title';
import { useSubmit } from '../../../hooks/use-submit';
import { myOutputsKey } from '../dashboard-page';
import { RequireSignIn } from '../require-researcher';
import { FRESH, OUTPUT_BUSY, OUTPUT_NEEDS_ME, outputStatus, timeWords } from '../researcher-words';
import { OutputFiles } from './output-files';
import { WorkspaceFiles } from './workspace-files';

type OutputRequest = Schemas['OutputRequestDto'];
const requestKey = (id: string) => ['researcher', 'output', id] as const;

/** One output request: its files and their checks, and what the researcher can do at its stage. */
export function OutputRequestPage() {
  return (
    <RequireSignIn>
      <OutputRequestView />
    </RequireSignIn>
  );
}

function OutputRequestView() {
  const { id = '' } = useParams();
  // The checks run in the worker: the page asks again until they are over.
  // usePolling's behaviour, and asked again on each visit: the checkers change a request while nobody looks.
  const request = useQuery({
    queryKey: requestKey(id),
    queryFn: () => unwrap(api.GET('/outputs/{id}', { params: { path: { id } } })),
    staleTime: FRESH,
    refetchInterval: (query) => {
      const r = query.state.data;
      // An approved request is released by the service in a moment: keep asking until it is.
      return r && !OUTPUT_BUSY.includes(r.status) && r.status !== 'approved' ? false : 2000;
    },
  });
  usePageTitle(request.data?.title ?? (request.isError ? 'Output request not available' : 'Output request'));
  return (
    <>
      <BackLink asElement={Link} to="/researcher">
        Back to your research
      </BackLink>
      {request.data === undefined && request.isError && <h1>Output request not available</h1>}
      <QueryState query={request} what="Loading the output request">
        {(r) => <RequestDetails request={r} />}
      </QueryState>
    </>
  );
}

function RequestDetails({ request }: { request: OutputRequest }) {
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: requestKey(request.id) }),
      queryClient.invalidateQueries({ queryKey: myOutputsKey }),
    ]);
  const editable = OUTPUT_NEEDS_ME.includes(request.status);
  const status = outputStatus(request.status);
  const remove = useSubmit({
    send: (fileId: string) =>
      unwrap(api.DELETE('/outputs/{id}/files/{fileId}', { params: { path: { id: request.id, fileId } } })),
    invalidates: [requestKey(request.id)],
  });
  return (
    <>
      <h1>{request.title}</h1>
      <p>
        <Tag modifier={status.colour}>{status.words}</Tag> Round {request.round}.{' '}
        <Link to={`/researcher/projects/${request.projectId}`}>The project</Link>
      </p>
      <p role="status">{progressWords(request)}</p>
      {request.checkError && <p>The checks could not run: {request.checkError}</p>}
      {remove.refusal && <RefusalSummary error={remove.refusal} />}
      <h2>Files in this request</h2>
      <OutputFiles
        files={request.fileList}
        onRemove={editable ? (file) => remove.submit(file.id) : undefined}
      />
      {editable && <WorkspaceFiles requestId={request.id} projectId={request.projectId} onAdded={refresh} />}
      {editable && <SubmitAndWithdraw request={request} />}
      {request.release && <ReleasedBundle request={request} />}
    </>
  );
}

function progressWords(request: OutputRequest): string {
  switch (request.status) {
    case 'submitted':
    case 'checking':
      return `Checking: ${request.checkProgress.done} of ${request.checkProgress.total} files checked. This page updates by itself.`;
    case 'blocked':
      return 'The automated checks blocked this request: change the flagged files in your workspace and resubmit.';
    case 'in_review':
      return `With the output checkers: ${request.reviewsIn} of ${request.reviewsRequired} reviews in.`;
    case 'returned':
      return 'The output checkers returned this request: read their comments, change the files and resubmit.';
    case 'released':
      return `Released ${timeWords(request.decidedAt)}.`;
    default:
      return `Last changed ${timeWords(request.updatedAt)}.`;
  }
}

function SubmitAndWithdraw({ request }: { request: OutputRequest }) {
  const [reason, setReason] = useState('');
  const invalidates = [requestKey(request.id), myOutputsKey];
  const submit = useSubmit({
    send: () => unwrap(api.POST('/outputs/{id}/submit', { params: { path: { id: request.id } } })),
    invalidates,
  });
  const withdraw = useSubmit({
    send: (input: { reason: string }) =>
      unwrap(api.POST('/outputs/{id}/withdraw', { params: { path: { id: request.id } }, body: input })),
    invalidates,
  });
  return (
    <>
      <h2>{request.status === 'draft' ? 'Submit' : 'Resubmit'}</h2>
      {submit.refusal && <RefusalSummary error={submit.refusal} />}
      <Button type="button" disabled={submit.pending} onClick={() => submit.submit(undefined)}>
        {request.status === 'draft' ? 'Submit for checking' : 'Resubmit for checking'}
      </Button>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          withdraw.submit({ reason });
        }}
      >
        <h2>Withdraw</h2>
        {withdraw.refusal && (
          <RefusalSummary error={withdraw.refusal} fieldIds={{ reason: 'withdraw-reason' }} />
        )}
        <Textarea
          id="withdraw-reason"
          label="Why you are withdrawing this request"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={withdraw.errorFor('reason')}
        />
        <Button type="submit" secondary disabled={withdraw.pending}>
          Withdraw the request
        </Button>
      </form>
    </>
  );
}

/** One-time links to each released file, each with the SHA-256 the release ledger holds for it. */
function ReleasedBundle({ request }: { request: OutputRequest }) {
  const [answer, setAnswer] = useState<Schemas['DownloadLinksDto'] | null>(null);
  const get = useSubmit({
    send: () => unwrap(api.POST('/outputs/{id}/download-links', { params: { path: { id: request.id } } })),
    onSuccess: setAnswer,
  });
  return (
    <section aria-labelledby="release-heading">
      <h2 id="release-heading">Released files</h2>
      <p>
        Bundle SHA-256: <code className="app-sha">{request.release!.bundleSha256}</code>
      </p>
      {get.refusal && <RefusalSummary error={get.refusal} />}
      {!answer && (
        <Button type="button" disabled={get.pending} onClick={() => get.submit(undefined)}>
          Get download links
        </Button>
      )}
      {answer && (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption">
            Download links (each works once, until {timeWords(answer.links[0]?.expiresAt)})
          </caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">
                File
              </th>
              <th scope="col" className="nhsuk-table__header">
                SHA-256
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {answer.links.map((link) => (
              <tr key={link.url} className="nhsuk-table__row">
                <td className="nhsuk-table__cell">
                  <a href={link.url} download={link.fileName}>
                    Download {link.fileName}
                  </a>
                </td>
                <td className="nhsuk-table__cell">
                  <code className="app-sha">{link.sha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
