import { useQuery } from '@tanstack/react-query';
import { Button, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { dateTimeWords } from '../checker/checker-words';
import { ColumnHeads } from '../../components/column-heads';

interface Filters {
  action: string;
  actorId: string;
  subjectType: string;
  subjectId: string;
}
const EMPTY: Filters = { action: '', actorId: '', subjectType: '', subjectId: '' };
const PAGE_SIZE = 50;

/** The audit trail for admins: filters, older pages by cursor, the page as CSV, and the chain's verification. */
export function AuditPage() {
  usePageTitle('Audit trail');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // Cursors of the pages walked so far (undefined: the newest page), so "Newer" goes back one.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = cursors[cursors.length - 1];
  const query: Partial<Filters> = Object.fromEntries(
    (Object.entries(filters) as [keyof Filters, string][]).filter(([, v]) => v.trim() !== ''),
  );
  const events = useQuery({
    queryKey: ['audit', query, beforeSeq],
    queryFn: () =>
      unwrap(
        api.GET('/audit', {
          params: { query: { ...query, pageSize: PAGE_SIZE, ...(beforeSeq ? { beforeSeq } : {}) } },
        }),
      ),
  });
  const [verifying, setVerifying] = useState(false);
  const verification = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => unwrap(api.GET('/audit/verify')),
    enabled: verifying,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setCursors([undefined]);
  };
  const field = (name: keyof Filters, label: string) => (
    <TextInput
      id={`audit-${name}`}
      label={label}
      value={draft[name]}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
    />
  );
  return (
    <>
      <h1>Audit trail</h1>
      <section aria-labelledby="verify-heading">
        <h2 id="verify-heading">The chain</h2>
        <Button type="button" secondary onClick={() => setVerifying(true)}>
          Verify the chain
        </Button>
        {verifying && (
          <QueryState query={verification} what="Verifying every event's hash">
            {(result) => (
              <p role="status">
                {result.valid
                  ? `The chain holds: ${result.count} events verified.`
                  : `The chain is broken at event ${result.brokenAt ?? '?'}: ${result.reason ?? ''}`}
              </p>
            )}
          </QueryState>
        )}
      </section>
      <form onSubmit={onSubmit} noValidate>
        <h2>Filter</h2>
        {field('action', 'Action (for example project.suspended)')}
        {field('actorId', 'Actor id')}
        {field('subjectType', 'Subject type (for example project)')}
        {field('subjectId', 'Subject id')}
        <Button type="submit">Show events</Button>
      </form>
      <QueryState query={events} what="Loading the events">
        {(page) => (
          <>
            <h2>
              {page.total} {page.total === 1 ? 'event' : 'events'}
            </h2>
            <CsvDownload query={query} total={page.total} totalIsLowerBound={page.totalIsLowerBound} />
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                Audit events, newest first
              </caption>
              <ColumnHeads names={['Seq', 'When', 'Actor', 'Action', 'Subject']} />
              <tbody className="nhsuk-table__body">
                {page.items.map((event) => (
                  <tr key={event.seq} className="nhsuk-table__row">
                    <td className="nhsuk-table__cell">{event.seq}</td>
                    <td className="nhsuk-table__cell">{dateTimeWords(event.occurredAt)}</td>
                    <td className="nhsuk-table__cell">{event.actorId}</td>
                    <td className="nhsuk-table__cell">{event.action}</td>
                    <td className="nhsuk-table__cell">
                      {event.subjectType} {event.subjectId ?? ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {cursors.length > 1 && (
              <Button type="button" secondary onClick={() => setCursors(cursors.slice(0, -1))}>
                Newer events
              </Button>
            )}{' '}
            {page.nextBeforeSeq !== null && (
              <Button
                type="button"
                secondary
                onClick={() => setCursors([...cursors, page.nextBeforeSeq ?? undefined])}
              >
                Older events
              </Button>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}

/**
 * Every matching event as CSV, not just the page shown: the API streams the export (bounded; it says in a
 * header when more matched). Fetched with the person's token, then handed to the browser as a file.
 */
function CsvDownload({
  query,
  total,
  totalIsLowerBound,
}: {
  readonly query: Partial<Filters>;
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}) {
  const [state, setState] = useState<{ busy: boolean; error: unknown; note: string | null }>({
    busy: false,
    error: null,
    note: null,
  });
  const download = async () => {
    setState({ busy: true, error: null, note: null });
    try {
      const result = await api.GET('/audit/csv', { params: { query }, parseAs: 'blob' }).catch(() => {
        throw ApiError.unreachable();
      });
      const { data, error, response } = result;
      if (error !== undefined || !response.ok || !data) throw ApiError.fromBody(response.status, error);
      const url = URL.createObjectURL(data);
      const link = document.createElement('a');
      link.href = url;
      link.download = 'audit-events.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      const truncated = response.headers.get('X-Audit-Truncated') === 'true';
      const rows = response.headers.get('X-Audit-Rows') ?? '';
      setState({
        busy: false,
        error: null,
        note: truncated
          ? `Downloaded the newest ${rows} events: more matched than one file carries, so narrow the filters for the rest.`
          : `Downloaded ${rows} ${rows === '1' ? 'event' : 'events'}.`,
      });
    } catch (error: unknown) {
      setState({ busy: false, error, note: null });
    }
  };
  return (
    <div>
      {state.error !== null && <RefusalSummary error={state.error} />}
      <Button type="button" secondary disabled={state.busy} onClick={() => void download()}>
        Download every matching event as CSV ({totalIsLowerBound ? `more than ${total}` : total})
      </Button>
      {state.note && (
        <p role="status" className="nhsuk-body-s">
          {state.note}
        </p>
      )}
    </div>
  );
}
