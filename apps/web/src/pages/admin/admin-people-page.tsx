import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, DateInput, TextInput, Textarea } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { roleName } from '../../components/role-switch';
import {
  accreditationActions,
  accreditationWords,
  emailWords,
  isoFromDateParts,
  notSignedInWords,
  type Person,
} from './admin-words';
import { Pager } from '../../components/pager';
import { ColumnHeads } from '../../components/column-heads';

const PAGE_SIZE = 50;

/**
 * People known from sign-in, their roles, what the accreditation register holds for them and whether their
 * messages can be emailed (and how many people named on projects have not signed in yet). Choosing a
 * person opens the changes the register allows them: set (first time or after a lapse), renew, lapse.
 */
export function AdminPeoplePage() {
  usePageTitle('People and accreditation');
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const chosen = params.get('person');
  const people = useQuery({
    queryKey: ['people', page],
    queryFn: () => unwrap(api.GET('/people', { params: { query: { page, pageSize: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const choose = (subject: string | null) =>
    setParams(subject ? { page: String(page), person: subject } : { page: String(page) });
  return (
    <>
      <h1>People and accreditation</h1>
      <p>
        Where the register has a record of a person it decides, over the expiry they declared on each project:
        a lapsed or expired record refuses their sessions, workspaces and outputs. With no record, the
        declared expiry still applies.
      </p>
      <QueryState query={people} what="Loading the people">
        {(data) => {
          const person = data.items.find((p) => p.subject === chosen);
          return (
            <>
              {data.notSignedIn.people > 0 && <p>{notSignedInWords(data.notSignedIn)}</p>}
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption">
                  {data.total} {data.total === 1 ? 'person' : 'people'}
                </caption>
                <ColumnHeads names={['Name', 'Subject', 'Roles', 'Accreditation', 'Email', 'Action']} />
                <tbody className="nhsuk-table__body">
                  {data.items.map((p) => (
                    <tr key={p.subject} className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__header">
                        {p.name}
                      </th>
                      <td className="nhsuk-table__cell">{p.subject}</td>
                      <td className="nhsuk-table__cell">
                        {p.roles.map((r) => (roleName(r as never) as string | undefined) ?? r).join(', ') ||
                          'None'}
                      </td>
                      <td className="nhsuk-table__cell">{accreditationWords(p.accreditation)}</td>
                      <td className="nhsuk-table__cell">{emailWords(p)}</td>
                      <td className="nhsuk-table__cell">
                        <Button type="button" secondary onClick={() => choose(p.subject)}>
                          Accreditation of {p.name}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                page={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                label="Pages of people"
                onPage={(p) => setParams({ page: String(p) })}
              />
              {person && (
                <AccreditationForms key={person.subject} person={person} onClose={() => choose(null)} />
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function AccreditationForms({ person, onClose }: { readonly person: Person; readonly onClose: () => void }) {
  const actions = accreditationActions(person.accreditation);
  return (
    <section aria-labelledby="accreditation-heading">
      <h2 id="accreditation-heading">Accreditation of {person.name}</h2>
      <p>{accreditationWords(person.accreditation)}</p>
      {person.accreditation && <p>Reference: {person.accreditation.reference}</p>}
      {actions.includes('set') && <ExpiryForm person={person} kind="set" />}
      {actions.includes('renew') && <ExpiryForm person={person} kind="renew" />}
      {actions.includes('lapse') && <LapseForm person={person} />}
      <Button type="button" secondary onClick={onClose}>
        Close
      </Button>
    </section>
  );
}

const EMPTY_DATE = { day: '', month: '', year: '' };

/** Set or renew: an expiry date (the NHS.UK date input) and a reference (required to set, optional to renew). */
export function ExpiryForm({ person, kind }: { readonly person: Person; readonly kind: 'set' | 'renew' }) {
  const [date, setDate] = useState(EMPTY_DATE);
  const [reference, setReference] = useState('');
  const id = `${kind}-expiry`;
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: () => {
      const expiresOn = isoFromDateParts(date);
      const path = { params: { path: { subject: person.subject } } };
      return kind === 'set'
        ? unwrap(api.POST('/people/{subject}/accreditation', { ...path, body: { expiresOn, reference } }))
        : unwrap(
            api.POST('/people/{subject}/accreditation/renew', {
              ...path,
              body: { expiresOn, ...(reference.trim() ? { reference } : {}) },
            }),
          );
    },
    invalidates: [['people']],
    onSuccess: () => {
      setDate(EMPTY_DATE);
      setReference('');
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(undefined);
  };
  const title = kind === 'set' ? 'Set an accreditation' : 'Renew the accreditation';
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${kind}-heading`}>
      <h3 id={`${kind}-heading`}>{title}</h3>
      {refusal && (
        <RefusalSummary
          error={refusal}
          fieldIds={{ expiresOn: `${id}-day`, reference: `${kind}-reference` }}
        />
      )}
      <DateInput
        id={id}
        name={id}
        legend={kind === 'set' ? 'Expiry date' : 'New expiry date'}
        hint="For example, 30 6 2027"
        value={date}
        onChange={(event) => setDate({ ...EMPTY_DATE, ...event.target.value })}
        error={errorFor('expiresOn')}
      />
      <TextInput
        id={`${kind}-reference`}
        label={kind === 'set' ? 'Accrediting body and reference' : 'New reference (optional)'}
        value={reference}
        onChange={(event) => setReference(event.target.value)}
        error={errorFor('reference')}
      />
      <Button type="submit" disabled={pending}>
        {kind === 'set'
          ? `Set the accreditation of ${person.name}`
          : `Renew the accreditation of ${person.name}`}
      </Button>
    </form>
  );
}

function LapseForm({ person }: { readonly person: Person }) {
  const [reason, setReason] = useState('');
  const { submit, pending, refusal, errorFor } = useSubmit({
    send: () =>
      unwrap(
        api.POST('/people/{subject}/accreditation/lapse', {
          params: { path: { subject: person.subject } },
          body: { reason },
        }),
      ),
    invalidates: [['people'], ['sessions']],
    onSuccess: () => setReason(''),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(undefined);
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="lapse-heading">
      <h3 id="lapse-heading">Lapse the accreditation</h3>
      <p>From then on it refuses everywhere, and every session {person.name} has open ends at once.</p>
      {refusal && <RefusalSummary error={refusal} fieldIds={{ reason: 'lapse-reason' }} />}
      <Textarea
        id="lapse-reason"
        label="Reason for the lapse"
        rows={3}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={errorFor('reason')}
      />
      <Button type="submit" warning disabled={pending}>
        Lapse the accreditation of {person.name}
      </Button>
    </form>
  );
}
