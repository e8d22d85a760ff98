import { BackLink, Button, Radios, SummaryList, Textarea } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import {
  checkWords,
  dateTimeWords,
  VOTE_WORDS,
  type OutputFile,
  type OutputRequest,
  type OutputVote,
} from './checker-words';
import { columnStats } from './column-stats';
import { EarlierReleases } from './earlier-releases';
import { FileContents } from './file-contents';
import { useOutputRequest } from './output-request-page';
import { RuleResults } from './rule-results';
import { saveDraftVote, useDraftVotes } from './review-drafts';
import { ColumnStatsTable, TableGrid } from './table-grid';

/**
 * One file under review, as SACRO-Viewer and OpenSAFELY's airlock lay it out: the table with its flagged
 * cells, the results per rule, each column's summary, where the file came from, what the researcher says
 * of it, the project's earlier releases of the same table, and the checker's vote on it.
 */
export function FileReviewPage() {
  const { id = '', fileId = '' } = useParams();
  const request = useOutputRequest(id);
  const file = request.data?.fileList.find((f) => f.id === fileId);
  usePageTitle(file ? `Review ${file.fileName}` : 'Review a file');
  return (
    <>
      <BackLink asElement={Link} to={`/checker/requests/${id}`}>
        Back to the request
      </BackLink>
      <QueryState query={request} what="Loading the file">
        {(data) =>
          file ? (
            <FileReview request={data} file={file} />
          ) : (
            <>
              <h1>File not found</h1>
              <p>This request has no file {fileId}.</p>
            </>
          )
        }
      </QueryState>
    </>
  );
}

function FileReview({ request, file }: { readonly request: OutputRequest; readonly file: OutputFile }) {
  const session = useSession();
  const me = session.me?.id;
  const check = file.check;
  const flags = check?.flags ?? [];
  const cellless = flags.filter((f) => f.row === null || f.col === null);
  const others = file.reviews.filter((r) => r.round === request.round && r.checkerId !== me);
  return (
    <>
      <span className="nhsuk-caption-l">{request.title}</span>
      <h1>{file.fileName}</h1>

      <h2>Automated checks</h2>
      <SummaryList>
        <Row name="Result">{checkWords(check?.status)}</Row>
        {check && <Row name="In words">{check.message}</Row>}
        {check?.rules && (
          <Row name="Rules">
            {check.rules.name} {check.rules.version}
          </Row>
        )}
        {check && <Row name="Suppressed cells">{check.suppressedCells}</Row>}
        {check?.publishedTable && (
          <Row name="File against its record">
            {check.publishedTable === 'match'
              ? 'The file publishes the table its record describes'
              : check.publishedTable === 'mismatch'
                ? 'The file does not publish the table its record describes'
                : 'The file could not be read as a table'}
          </Row>
        )}
      </SummaryList>

      {file.table ? (
        <>
          <h2>The table</h2>
          <p className="nhsuk-body-s">
            Cells outlined in red fail a rule; dashed orange cells need you to look; hatched cells are
            suppressed.
            {file.table.rounding ? ` Published values were rounded (${file.table.rounding}).` : ''}
          </p>
          <TableGrid table={file.table} flags={flags} caption={`${file.fileName}, as published`} />
          <ColumnStatsTable stats={columnStats(file.table.cols, file.table.values)} />
        </>
      ) : (
        <FileContents requestId={request.id} file={file} />
      )}
      {cellless.length > 0 && (
        <>
          <h2>Findings about the whole file</h2>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {cellless.map((flag, i) => (
              <li key={i}>
                {flag.rule} ({flag.outcome}): {flag.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <RuleResults flags={flags} />

      <h2>Where the file came from</h2>
      <SummaryList>
        {file.provenance ? (
          <>
            <Row name="Workspace">{file.provenance.workspaceId}</Row>
            <Row name="Path">{file.provenance.path}</Row>
            <Row name="Collected">{dateTimeWords(file.provenance.collectedAt)}</Row>
          </>
        ) : (
          <Row name="Collected">Not recorded: added before files were collected from the workspace</Row>
        )}
        {file.check?.evidence && <Row name="Its record">{file.check.evidence.message}</Row>}
        <Row name="SHA-256">
          <code>{file.sha256}</code>
        </Row>
        <Row name="Size">{file.sizeBytes} bytes</Row>
      </SummaryList>

      <h2>What the researcher says</h2>
      <SummaryList>
        <Row name="What this is">{file.context ?? 'Not given'}</Row>
        <Row name="How disclosure was controlled">{file.controls ?? 'Not given'}</Row>
      </SummaryList>

      {others.length > 0 && (
        <>
          <h2>The other checkers&apos; votes</h2>
          <ul className="nhsuk-list">
            {others.map((r) => (
              <li key={r.checkerId}>
                Another checker: {VOTE_WORDS[r.vote]}
                {r.comment ? ` – "${r.comment}"` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <VoteForm request={request} file={file} />
      <EarlierReleases projectId={request.projectId} excludeId={request.id} fileName={file.fileName} />
    </>
  );
}

/** The checker's vote on this file, kept as a draft until they send their votes on every file together. */
function VoteForm({ request, file }: { readonly request: OutputRequest; readonly file: OutputFile }) {
  const session = useSession();
  const drafts = useDraftVotes(request.id, request.round);
  const sent = file.reviews.find((r) => r.round === request.round && r.checkerId === session.me?.id);
  const start = drafts[file.id] ?? (sent ? { vote: sent.vote, comment: sent.comment } : undefined);
  const [vote, setVote] = useState<OutputVote | undefined>(start?.vote);
  const [comment, setComment] = useState(start?.comment ?? '');
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  if (request.member) return null;
  if (request.status !== 'in_review' || (sent && !request.conflicted)) return null;
  const passed = file.check?.status === 'pass';
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!vote) return setError('Choose approve, request changes or reject');
    // The API asks for a reason for anything but approving a file that passed every check.
    if (!(vote === 'approve' && passed) && !comment.trim())
      return setError(
        vote === 'approve'
          ? 'Say why you approve a file the automated checks did not pass'
          : 'Say why, for the researcher',
      );
    setError(undefined);
    saveDraftVote(request.id, request.round, file.id, { vote, comment });
    setSaved(true);
  };
  return (
    <section aria-labelledby="vote-heading">
      <h2 id="vote-heading">Your vote on this file</h2>
      <form onSubmit={onSubmit} noValidate>
        <Radios legend="Your vote" id="vote" name="vote">
          {(Object.keys(VOTE_WORDS) as OutputVote[]).map((option) => (
            <Radios.Item
              key={option}
              value={option}
              checked={vote === option}
              onChange={() => setVote(option)}
            >
              {VOTE_WORDS[option]}
            </Radios.Item>
          ))}
        </Radios>
        <Textarea
          id="vote-comment"
          label="Your reasons"
          hint={
            passed
              ? 'Needed unless you approve: the file passed every automated check.'
              : 'Needed: the file did not pass every automated check.'
          }
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          error={error}
        />
        <Button type="submit">Save your vote on this file</Button>
        {saved && (
          <p role="status">
            Saved. Send your votes from{' '}
            <Link to={`/checker/requests/${request.id}`}>the request&apos;s page</Link> once every file has
            one.
          </p>
        )}
      </form>
    </section>
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
