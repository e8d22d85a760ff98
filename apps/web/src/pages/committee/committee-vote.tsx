import { useQuery } from '@tanstack/react-query';
import { Button, Checkboxes, Details, Radios, TextInput, Textarea } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from '../checker/checker-words';

type Project = Schemas['ProjectDto'];
type Decision = 'approve' | 'request_changes' | 'reject';
const DECISIONS: Record<Decision, string> = {
  approve: 'Approve',
  request_changes: 'Request changes',
  reject: 'Reject',
};
/** Statuses in which the committee still decides (its votes are blind). */
const DECIDING = ['submitted', 'in_review'];

/**
 * The committee member's part: declare a conflict of interest, or vote blind (approve with narrowed fields,
 * conditions and an earlier end; request changes; reject, each with reasons). Until the decision a member
 * sees only their own vote (the API's rule); after it, every vote.
 */
export function CommitteeVote({ project }: { readonly project: Project }) {
  const session = useSession();
  const votesKey = ['projects', project.id, 'votes'];
  const votes = useQuery({
    queryKey: votesKey,
    queryFn: () =>
      unwrap(
        api.GET('/projects/{id}/votes', {
          params: { path: { id: project.id }, query: { page: 1, pageSize: 50 } },
        }),
      ),
  });
  const [declared, setDeclared] = useState(false);
  const deciding = DECIDING.includes(project.status);
  return (
    <QueryState query={votes} what="Loading the votes">
      {(data) => {
        const mine = data.items.find(
          (v) => v.reviewerId === session.me?.id && v.applicationVersion === project.applicationVersion,
        );
        return (
          <>
            <h2>Votes</h2>
            {data.blind ? (
              <p>The committee&apos;s votes are hidden until the decision{mine ? '; yours is below' : ''}.</p>
            ) : null}
            <VoteList votes={data.items} me={session.me?.id} />
            {deciding && !mine && !declared && (
              <>
                <VoteForm
                  project={project}
                  invalidates={[votesKey, ['projects', project.id], ['projects', 'awaiting_review']]}
                />
                <ConflictForm projectId={project.id} onDeclared={() => setDeclared(true)} />
              </>
            )}
            {declared && (
              <p role="status">
                You declared a conflict of interest: you take no part in deciding this application.
              </p>
            )}
          </>
        );
      }}
    </QueryState>
  );
}

function VoteList({
  votes,
  me,
}: {
  readonly votes: Schemas['VoteViewDto'][];
  readonly me: string | undefined;
}) {
  if (votes.length === 0) return <p>No votes to show.</p>;
  return (
    <ul className="nhsuk-list">
      {votes.map((vote) => (
        <li
          key={`${vote.reviewerId}-${vote.applicationVersion}`}
          className="nhsuk-inset-text nhsuk-u-margin-top-2"
        >
          <p className="nhsuk-u-margin-bottom-1">
            <strong>
              {vote.reviewerId === me ? 'You' : 'Another member'}: {DECISIONS[vote.decision]}
            </strong>{' '}
            (version {vote.applicationVersion}, {dateTimeWords(vote.castAt)})
          </p>
          <p className="nhsuk-u-margin-bottom-1">{vote.comment}</p>
          {vote.conditions.length > 0 && (
            <p className="nhsuk-u-margin-bottom-1">Conditions: {vote.conditions.join('; ')}</p>
          )}
          {vote.fields && (
            <p className="nhsuk-u-margin-bottom-1">
              Fields:{' '}
              {Object.entries(vote.fields)
                .map(([code, fields]) => `${code}: ${fields.join(', ')}`)
                .join('; ')}
            </p>
          )}
          {vote.endDate && <p className="nhsuk-u-margin-bottom-0">End date: {vote.endDate}</p>}
        </li>
      ))}
    </ul>
  );
}

function VoteForm({ project, invalidates }: { readonly project: Project; readonly invalidates: string[][] }) {
  const [decision, setDecision] = useState<Decision | undefined>();
  const [comment, setComment] = useState('');
  const [conditions, setConditions] = useState('');
  const [endDate, setEndDate] = useState('');
  const [fields, setFields] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(project.datasets.map((d) => [d.datasetCode, [...d.fields]])),
  );
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: () => {
      const narrowed = project.datasets.some((d) => fields[d.datasetCode].length !== d.fields.length);
      const approving = decision === 'approve';
      const lines = conditions
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return unwrap(
        api.POST('/projects/{id}/votes', {
          params: { path: { id: project.id } },
          body: {
            decision: decision as Decision,
            comment,
            ...(approving && lines.length ? { conditions: lines } : {}),
            ...(approving && narrowed
              ? { fields: Object.entries(fields).map(([datasetCode, f]) => ({ datasetCode, fields: f })) }
              : {}),
            ...(approving && endDate ? { endDate } : {}),
          },
        }),
      );
    },
    invalidates,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(undefined);
  };
  const toggle = (code: string, field: string, on: boolean) =>
    setFields((current) => ({
      ...current,
      [code]: on ? [...current[code], field] : current[code].filter((f) => f !== field),
    }));
  return (
    <section aria-labelledby="vote-heading">
      <h2 id="vote-heading">Your vote</h2>
      <p>Your vote is hidden from the other members until the committee decides.</p>
      {refusal && (
        <RefusalSummary
          error={refusal}
          fieldIds={{ decision: 'decision', comment: 'vote-comment', endDate: 'vote-end-date' }}
        />
      )}
      <form onSubmit={onSubmit} noValidate>
        <Radios legend="Your decision" id="decision" name="decision" error={errorFor('decision')}>
          {(Object.keys(DECISIONS) as Decision[]).map((option) => (
            <Radios.Item
              key={option}
              value={option}
              checked={decision === option}
              onChange={() => setDecision(option)}
            >
              {DECISIONS[option]}
            </Radios.Item>
          ))}
        </Radios>
        {decision === 'approve' &&
          project.datasets.map((asked) => (
            <Checkboxes
              key={asked.datasetCode}
              legend={`Fields of ${asked.datasetCode} to approve`}
              hint="Untick a field to approve less than was asked for."
              id={`fields-${asked.datasetCode}`}
              name={`fields-${asked.datasetCode}`}
            >
              {asked.fields.map((field) => (
                <Checkboxes.Item
                  key={field}
                  value={field}
                  checked={fields[asked.datasetCode].includes(field)}
                  onChange={(event) => toggle(asked.datasetCode, field, event.target.checked)}
                >
                  {field}
                </Checkboxes.Item>
              ))}
            </Checkboxes>
          ))}
        {decision === 'approve' && (
          <>
            <Textarea
              id="vote-conditions"
              label="Conditions of approval"
              hint="One a line. Leave empty for none."
              rows={3}
              value={conditions}
              onChange={(event) => setConditions(event.target.value)}
            />
            <TextInput
              id="vote-end-date"
              label="Approve until"
              hint={`An earlier end date than the ${project.requestedEndDate} asked for; leave empty to approve that.`}
              type="date"
              width={10}
              value={endDate}
              onChange={(event) => setEndDate(event.target.value)}
              error={errorFor('endDate')}
            />
          </>
        )}
        <Textarea
          id="vote-comment"
          label={
            decision === 'reject'
              ? 'Your reasons for rejecting'
              : decision === 'request_changes'
                ? 'The changes you ask for'
                : 'Your comments'
          }
          hint="Shown to the applicants once the committee decides."
          rows={4}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          error={errorFor('comment')}
        />
        <Button type="submit" disabled={pending}>
          Send your vote
        </Button>
      </form>
    </section>
  );
}

function ConflictForm({
  projectId,
  onDeclared,
}: {
  readonly projectId: string;
  readonly onDeclared: () => void;
}) {
  const [reason, setReason] = useState('');
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: () =>
      unwrap(api.POST('/projects/{id}/conflicts', { params: { path: { id: projectId } }, body: { reason } })),
    invalidates: [['projects', 'awaiting_review']],
    onSuccess: onDeclared,
  });
  return (
    <Details>
      <Details.Summary>Declare a conflict of interest</Details.Summary>
      <Details.Text>
        {refusal && <RefusalSummary error={refusal} fieldIds={{ reason: 'conflict-reason' }} />}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit(undefined);
          }}
          noValidate
        >
          <Textarea
            id="conflict-reason"
            label="Your conflict of interest"
            hint="You then take no part in deciding this application."
            rows={3}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            error={errorFor('reason')}
          />
          <Button type="submit" secondary disabled={pending}>
            Declare the conflict
          </Button>
        </form>
      </Details.Text>
    </Details>
  );
}
