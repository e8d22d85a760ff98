import { useQuery } from '@tanstack/react-query';
import { Button, TextInput } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { usePageTitle } from '../../hooks/use-page-title';
import { dateTimeWords } from '../checker/checker-words';
import { auditCsv } from './audit-csv';

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
            <p>
              <a
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(auditCsv(page.items))}`}
                download="audit-events.csv"
              >
                Download these {page.items.length} events as CSV
              </a>
            </p>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                Audit events, newest first
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  {['Seq', 'When', 'Actor', 'Action', 'Subject'].map((h) => (
                    <th key={h} scope="col" className="nhsuk-table__header">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
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
