import { useQuery } from '@tanstack/react-query';
import { Button, ErrorSummary, InsetText, Table, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Schemas } from '../../api/client';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { countWords, statusWords } from '../register/register-words';
import { periodErrors, type PeriodField } from './period-errors';
import { readPeriod, statementQuery, type Period } from './transparency-queries';

type Statement = Schemas['TransparencyStatementDto'];

const FIELD_IDS: Record<PeriodField, string> = { from: 'statement-from', to: 'statement-to' };
const LABELS: Record<PeriodField, string> = { from: 'From', to: 'To' };

/** The caption names the table for assistive technology; the heading above already shows the same words. */
const HIDDEN_CAPTION = { className: 'nhsuk-u-visually-hidden' };

const periodQuery = (period: Period): Record<string, string> =>
  Object.fromEntries(Object.entries(period).filter(([, value]) => value !== ''));

/**
 * The transparency statement: what this service did with health data in a period (projects, datasets, opt-outs
 * honoured, outputs released and blocked, data deleted), as a page and as CSV, with the signed tree head that
 * lets anyone check the audit log behind it. The period lives in the address; a refused period keeps what was
 * typed, with the reason on the field.
 */
export function TransparencyStatementPage() {
  usePageTitle('Transparency statement');
  const [params, setParams] = useSearchParams();
  const period = readPeriod(params);
  const [draft, setDraft] = useState<Period>(period);

  const statement = useQuery(statementQuery(period));
  const errors = periodErrors(statement.error);
  const refused = Object.keys(errors).length > 0;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setParams(periodQuery(draft));
  };
  const csv = new URLSearchParams(periodQuery(period)).toString();

  return (
    <>
      <h1>Transparency statement</h1>
      <p className="nhsuk-lede-text">
        What this service did with health data over a period: the projects that used it, the opt-outs it
        honoured, what left it and what it deleted. Counts of people are rounded so no one can be picked out.
      </p>
      {refused && (
        <ErrorSummary>
          <ErrorSummary.Title>There is a problem</ErrorSummary.Title>
          <ErrorSummary.List>
            {(['from', 'to'] as const).map(
              (field) =>
                errors[field] && (
                  <ErrorSummary.ListItem key={field} href={`#${FIELD_IDS[field]}`}>
                    {errors[field]}
                  </ErrorSummary.ListItem>
                ),
            )}
          </ErrorSummary.List>
        </ErrorSummary>
      )}
      <form onSubmit={apply} aria-label="Choose the period" noValidate>
        {(['from', 'to'] as const).map((field) => (
          <TextInput
            key={field}
            label={LABELS[field]}
            hint="A date as YYYY-MM-DD, for example 2026-01-31. Leave both empty for the last year."
            id={FIELD_IDS[field]}
            name={field}
            width={10}
            value={draft[field]}
            error={errors[field]}
            onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
          />
        ))}
        <Button type="submit">Show the statement</Button>
      </form>

      {refused ? (
        <p>Correct the period to see the statement.</p>
      ) : (
        <QueryState query={statement} what="Loading the statement">
          {(result) => (
            <>
              <h2>
                From {result.period.from} to {result.period.to}
              </h2>
              <p>
                <a href={`/register/statement/csv${csv ? `?${csv}` : ''}`} download>
                  Download this statement as CSV
                </a>
              </p>
              <StatementTotals statement={result} />
              <SignedHead transparency={result.transparency} />
            </>
          )}
        </QueryState>
      )}
      <p>
        See every project in the <Link to="/register">data uses register</Link>, and how{' '}
        <Link to="/opt-outs">opt-outs apply</Link>.
      </p>
    </>
  );
}

const number = countWords;

function StatementTotals({ statement }: { statement: Statement }) {
  const { projects, datasetsUsed, optOutsHonoured, outputsReleased, requestsBlocked, dataDeleted } =
    statement;
  return (
    <>
      <h3>Projects</h3>
      <p>
        {number(projects.active)} held an approval in the period: {number(projects.approved)} approved and{' '}
        {number(projects.ended)} ended.
      </p>
      <Table caption="Projects by their state now">
        <Table.Head>
          <Table.Row>
            <Table.Cell>State</Table.Cell>
            <Table.Cell format="numeric">Projects</Table.Cell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {projects.byState.map((row) => (
            <Table.Row key={row.state}>
              <Table.Cell>{statusWords(row.state)}</Table.Cell>
              <Table.Cell format="numeric">{number(row.projects)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>

      <h3>Datasets used</h3>
      {datasetsUsed.length === 0 ? (
        <p>No dataset was used in the period.</p>
      ) : (
        <Table caption="Datasets used" captionProps={HIDDEN_CAPTION}>
          <Table.Head>
            <Table.Row>
              <Table.Cell>Dataset</Table.Cell>
              <Table.Cell format="numeric">Projects</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {datasetsUsed.map((row) => (
              <Table.Row key={row.code}>
                <Table.Cell>
                  {row.title} ({row.code})
                </Table.Cell>
                <Table.Cell format="numeric">{number(row.projects)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}

      <h3>Opt-outs honoured</h3>
      <p>
        {number(optOutsHonoured.extracts)} extracts were built. People removed from them, rounded (a person in
        two extracts counts twice):
      </p>
      <Table caption="Opt-outs honoured" captionProps={HIDDEN_CAPTION}>
        <Table.Head>
          <Table.Row>
            <Table.Cell>Opt-out</Table.Cell>
            <Table.Cell format="numeric">People removed</Table.Cell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {optOutsHonoured.lists.map((row) => (
            <Table.Row key={row.list}>
              <Table.Cell>{row.title}</Table.Cell>
              <Table.Cell format="numeric">{row.peopleRemoved.text}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>

      <h3>Outputs released and blocked</h3>
      <p>
        {number(outputsReleased.releases)} releases of {number(outputsReleased.files)} files left the service
        after checking. {number(requestsBlocked.total)} requests were blocked by the automatic checks.
      </p>
      {requestsBlocked.byRule.length > 0 && (
        <Table caption="Requests blocked by rule">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Rule</Table.Cell>
              <Table.Cell format="numeric">Requests</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {requestsBlocked.byRule.map((row) => (
              <Table.Row key={row.rule}>
                <Table.Cell>{row.rule}</Table.Cell>
                <Table.Cell format="numeric">{number(row.requests)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}

      <h3>Data deleted</h3>
      <Table caption="Data deleted" captionProps={HIDDEN_CAPTION}>
        <Table.Head>
          <Table.Row>
            <Table.Cell>What</Table.Cell>
            <Table.Cell format="numeric">Deletions</Table.Cell>
            <Table.Cell format="numeric">Files</Table.Cell>
            <Table.Cell format="numeric">Bytes</Table.Cell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {(
            [
              ['Extracts', dataDeleted.extracts],
              ['Outputs never released', dataDeleted.unreleasedOutputs],
              ['Released outputs', dataDeleted.releasedOutputs],
            ] as const
          ).map(([what, totals]) => (
            <Table.Row key={what}>
              <Table.Cell>{what}</Table.Cell>
              <Table.Cell format="numeric">{number(totals.deletions)}</Table.Cell>
              <Table.Cell format="numeric">{number(totals.files)}</Table.Cell>
              <Table.Cell format="numeric">{number(totals.bytes)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </>
  );
}

/** The latest signed tree head and the keys that check it: the statement's counts rest on this audit log. */
function SignedHead({ transparency }: { transparency: Statement['transparency'] }) {
  const head = transparency.latestHead;
  return (
    <>
      <h2>Check the audit log behind it</h2>
      <p>
        Every action counted here is an event in an append-only audit log. The service signs the log&apos;s
        state (its size and root hash), so anyone can check that no event was changed or removed later.
      </p>
      {head ? (
        <dl className="nhsuk-summary-list">
          {(
            [
              ['Signed at', head.signedAt],
              ['Events in the log', number(head.treeSize)],
              ['Root hash', head.rootHash],
              ['Signature', head.signature],
              ['Key id', head.keyId],
            ] as const
          ).map(([name, value]) => (
            <div className="nhsuk-summary-list__row" key={name}>
              <dt className="nhsuk-summary-list__key">{name}</dt>
              <dd className="nhsuk-summary-list__value app-break-all">{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p>The log has not been signed yet.</p>
      )}
      {transparency.keys.map((key) => (
        <div key={key.keyId}>
          <h3>Public key {key.keyId.slice(0, 16)}…</h3>
          <pre className="app-pem" tabIndex={0} aria-label={`Public key ${key.keyId}`}>
            {key.publicKey}
          </pre>
        </div>
      ))}
      <InsetText>
        <p>
          To check it yourself, run <code>tre transparency verify --api {window.location.origin}</code>: it
          checks every signed head against the key and proves each one extends the last; add{' '}
          <code>--state FILE</code> to remember the head you saw, so the next check proves nothing was
          rewritten since.
        </p>
      </InsetText>
    </>
  );
}
