import { useQuery } from '@tanstack/react-query';
import { BackLink, Button, InsetText, SummaryList, Tag, WarningCallout } from 'nhsuk-react-components';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import {
  checkWords,
  dateTimeWords,
  decisionWords,
  statusWords,
  timeSince,
  VOTE_WORDS,
  type OutputRequest,
} from './checker-words';
import { CommentThread } from './comment-thread';
import { EarlierReleases } from './earlier-releases';
import { clearDraftVotes, useDraftVotes } from './review-drafts';
import { ColumnHeads } from '../../components/column-heads';

export const outputQueryKey = (id: string) => ['outputs', id];

export function useOutputRequest(id: string) {
  return useQuery({
    queryKey: outputQueryKey(id),
    queryFn: () => unwrap(api.GET('/outputs/{id}', { params: { path: { id } } })),
  });
}

/** A request's overview for a checker: status, its files and their review, activity, comments, release. */
export function OutputRequestPage() {
  const { id = '' } = useParams();
  const request = useOutputRequest(id);
  usePageTitle(request.data?.title ?? 'Output request');
  return (
    <>
      <BackLink asElement={Link} to="/checker">
        Back to outputs to check
      </BackLink>
      <QueryState query={request} what="Loading the request">
        {(data) => <RequestOverview request={data} />}
      </QueryState>
    </>
  );
}

function RequestOverview({ request }: { readonly request: OutputRequest }) {
  const session = useSession();
  const me = session.me?.id;
  const drafts = useDraftVotes(request.id, request.round);
  const inReview = request.status === 'in_review';
  const myReviews = request.fileList.flatMap((f) =>
    f.reviews
      .filter((r) => r.round === request.round && r.checkerId === me)
      .map((r) => ({ ...r, fileId: f.id })),
  );
  const reviewed = myReviews.length > 0;
  // A vote not redrafted stands as sent (changing votes while the checkers disagree starts from them).
  const voteOn = (fileId: string) => {
    if (drafts[fileId]) return drafts[fileId];
    const sent = myReviews.find((r) => r.fileId === fileId);
    return sent ? { vote: sent.vote, comment: sent.comment } : undefined;
  };
  const drafted = request.fileList.filter((f) => voteOn(f.id)).length;
  // A checker votes once a round; they change their votes only while the checkers disagree.
  const canVote = inReview && !request.member && (!reviewed || request.conflicted);
  const { submit, pending, refusal } = useSubmit({
    send: async () => {
      const votes = request.fileList.map((f) => {
        const { vote, comment } = voteOn(f.id)!;
        return { fileId: f.id, vote, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      });
      const params = { path: { id: request.id } };
      return reviewed
        ? unwrap(api.PUT('/outputs/{id}/reviews/mine', { params, body: { votes } }))
        : unwrap(api.POST('/outputs/{id}/reviews', { params, body: { votes } }));
    },
    invalidates: [outputQueryKey(request.id), ['outputs', 'awaiting_review']],
    onSuccess: () => clearDraftVotes(request.id, request.round),
  });

  return (
    <>
      <h1>{request.title}</h1>
      <SummaryList>
        <Row name="Status">
          <Tag>{statusWords(request.status)}</Tag>
        </Row>
        <Row name="Round">{request.round}</Row>
        <Row name="Submitted">
          {dateTimeWords(request.submittedAt)} ({timeSince(request.submittedAt)})
        </Row>
        <Row name="Reviews in">
          {request.reviewsIn} of {request.reviewsRequired} needed
        </Row>
        <Row name="Your review">
          {reviewed
            ? 'Sent'
            : `${drafted} of ${request.fileList.length} ${request.fileList.length === 1 ? 'file' : 'files'}`}
        </Row>
      </SummaryList>

      {request.member && (
        <WarningCallout>
          <WarningCallout.Heading>You are on this project</WarningCallout.Heading>
          <p>You cannot vote on your own project&apos;s outputs: other checkers review them.</p>
        </WarningCallout>
      )}
      {request.conflicted && inReview && (
        <WarningCallout>
          <WarningCallout.Heading>The checkers disagree</WarningCallout.Heading>
          <p>
            The files marked &quot;checkers disagree&quot; are held until you agree. Read the other votes and
            the comments, then change your votes or add a comment.
          </p>
        </WarningCallout>
      )}

      <h2>Files</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">The request&apos;s files</caption>
        <ColumnHeads names={['File', 'Automated checks', 'Decision', 'Votes', 'Your vote']} />
        <tbody className="nhsuk-table__body">
          {request.fileList.map((file) => {
            const mine = file.reviews.find((r) => r.round === request.round && r.checkerId === me);
            const draft = drafts[file.id];
            return (
              <tr key={file.id} className="nhsuk-table__row">
                <td className="nhsuk-table__cell">
                  <Link to={`/checker/requests/${request.id}/files/${file.id}`}>{file.fileName}</Link>
                </td>
                <td className="nhsuk-table__cell">{checkWords(file.check?.status)}</td>
                <td className="nhsuk-table__cell">
                  {decisionWords(file.decision)}
                  {file.conflicted ? ' (checkers disagree)' : ''}
                </td>
                <td className="nhsuk-table__cell">
                  {request.blind && !mine
                    ? 'Hidden until the votes are in'
                    : file.reviews
                        .filter((r) => r.round === request.round)
                        .map(
                          (r) => `${r.checkerId === me ? 'You' : 'Another checker'}: ${VOTE_WORDS[r.vote]}`,
                        )
                        .join('; ') || 'None yet'}
                </td>
                <td className="nhsuk-table__cell">
                  {draft ? `${VOTE_WORDS[draft.vote]} (not sent)` : mine ? VOTE_WORDS[mine.vote] : '–'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {canVote && (
        <section aria-labelledby="send-heading">
          <h2 id="send-heading">{reviewed ? 'Change your votes' : 'Send your review'}</h2>
          {refusal && <RefusalSummary error={refusal} />}
          {drafted < request.fileList.length ? (
            <p>
              Open each file and choose your vote: {drafted} of {request.fileList.length} done. Your votes are
              sent together, and stay hidden from the other checkers until theirs are in.
            </p>
          ) : (
            <p>You have a vote on every file. Sending them is final unless the checkers disagree.</p>
          )}
          <Button
            type="button"
            onClick={() => submit(undefined)}
            disabled={pending || drafted < request.fileList.length}
          >
            {reviewed ? 'Send your changed votes' : 'Send your review'}
          </Button>
        </section>
      )}

      <h2>Activity</h2>
      <ul className="nhsuk-list">
        <li>Created {dateTimeWords(request.createdAt)}</li>
        {request.submittedAt && (
          <li>
            Submitted (round {request.round}) {dateTimeWords(request.submittedAt)}
          </li>
        )}
        {request.checkedAt && <li>Automated checks finished {dateTimeWords(request.checkedAt)}</li>}
        {request.decidedAt && <li>Decided {dateTimeWords(request.decidedAt)}</li>}
      </ul>

      {request.release && (
        <section aria-labelledby="release-heading">
          <h2 id="release-heading">Released</h2>
          <InsetText>
            <p>
              The approved files were released as one bundle, SHA-256{' '}
              <code>{request.release.bundleSha256}</code>.
            </p>
          </InsetText>
        </section>
      )}

      <CommentThread
        requestId={request.id}
        canWrite={inReview && !request.member && session.me?.roles.includes('output_checker') === true}
        files={request.fileList}
      />
      <EarlierReleases projectId={request.projectId} excludeId={request.id} />
    </>
  );
}

function Row({ name, children }: { readonly name: string; readonly children: React.ReactNode }) {
  return (
    <SummaryList.Row>
      <SummaryList.Key>{name}</SummaryList.Key>
      <SummaryList.Value>{children}</SummaryList.Value>
    </SummaryList.Row>
  );
}
