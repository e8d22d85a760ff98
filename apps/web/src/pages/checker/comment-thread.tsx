import { useQuery } from '@tanstack/react-query';
import { Button, Textarea } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from './checker-words';

/**
 * The checkers' thread on a request: private among the checkers until the round is decided (the API
 * enforces it), then shown to the researcher. Writable by checkers while the request is in review.
 */
export function CommentThread({
  requestId,
  canWrite,
  files,
}: {
  readonly requestId: string;
  readonly canWrite: boolean;
  readonly files: readonly { id: string; fileName: string }[];
}) {
  const session = useSession();
  const [body, setBody] = useState('');
  const queryKey = ['outputs', requestId, 'comments'];
  const thread = useQuery({
    queryKey,
    queryFn: () => unwrap(api.GET('/outputs/{id}/comments', { params: { path: { id: requestId } } })),
  });
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: (text: string) =>
      unwrap(
        api.POST('/outputs/{id}/comments', { params: { path: { id: requestId } }, body: { body: text } }),
      ),
    invalidates: [queryKey],
    onSuccess: () => setBody(''),
  });
  const fileName = (id: string | null) => files.find((f) => f.id === id)?.fileName;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(body);
  };
  return (
    <section aria-labelledby="comments-heading">
      <h2 id="comments-heading">Checkers&apos; comments</h2>
      <p className="nhsuk-body-s">
        Private among the checkers until the request is decided; then the researcher reads them too.
      </p>
      <QueryState query={thread} what="Loading the comments">
        {(data) => (
          <>
            {data.private && (
              <p>The checkers&apos; comments on this round are private until it is decided.</p>
            )}
            {data.comments.length === 0 ? (
              <p>No comments yet.</p>
            ) : (
              <ol className="nhsuk-list app-comments" aria-label="Comments">
                {data.comments.map((comment) => (
                  <li
                    key={comment.id}
                    className="nhsuk-inset-text nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-2"
                  >
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                      {comment.authorId === session.me?.id ? 'You' : 'Another checker'}, round {comment.round}
                      , {dateTimeWords(comment.createdAt)}
                      {comment.fileId ? `, on ${fileName(comment.fileId) ?? 'a file'}` : ''}
                    </p>
                    <p className="nhsuk-u-margin-bottom-0">{comment.body}</p>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </QueryState>
      {canWrite && (
        <form onSubmit={onSubmit} noValidate>
          {refusal && <RefusalSummary error={refusal} fieldIds={{ body: 'comment-body' }} />}
          <Textarea
            id="comment-body"
            name="body"
            label="Add a comment for the other checkers"
            rows={3}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            error={errorFor('body')}
          />
          <Button type="submit" secondary disabled={pending}>
            Add comment
          </Button>
        </form>
      )}
    </section>
  );
}
