import { useQuery } from '@tanstack/react-query';
import { Button, ErrorSummary, Select } from 'nhsuk-react-components';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/api-error';
import { QueryState } from '../../components/query-state';
import { RefusalSummary } from '../../components/refusal';
import { usePageTitle } from '../../hooks/use-page-title';
import { useSubmit } from '../../hooks/use-submit';
import { dateTimeWords } from '../checker/checker-words';
import { ColumnHeads } from '../../components/column-heads';

type OptOutList = 'national' | 'type1';
const LIST_NAMES: Record<OptOutList, string> = {
  national: 'National data opt-out',
  type1: 'GP type 1 opt-out',
};

/** A refused file's problems as the API names them: line numbers and reasons, never the values. */
interface LineProblem {
  readonly line: number;
  readonly reason: string;
}
class RefusedFile extends Error {
  constructor(
    readonly refusal: ApiError,
    readonly problems: LineProblem[],
    readonly problemCount: number,
  ) {
    super(refusal.message);
  }
}

/**
 * The opt-out lists for custodians: each list in force with its version and count, and a new file loaded in
 * its place. A file with any bad line is refused whole: the page lists the lines at fault, and the list in
 * force stays as it was.
 */
export function OptOutsPage() {
  usePageTitle('Opt-out lists');
  const lists = useQuery({ queryKey: ['optouts'], queryFn: () => unwrap(api.GET('/optouts')) });
  const [list, setList] = useState<OptOutList>('national');
  const file = useRef<HTMLInputElement>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const { submit, pending, refusal } = useSubmit({
    send: async () => {
      const chosen = file.current?.files?.[0];
      if (!chosen) throw new ApiError(400, 'validation_failed', 'Choose a CSV file to load');
      const text = await chosen.text();
      const result = await api.PUT('/optouts/{list}', {
        params: { path: { list } },
        body: text,
        bodySerializer: (body: string) => body,
        headers: { 'Content-Type': 'text/csv' },
      });
      if (result.error !== undefined || !result.response.ok) {
        const body = result.error as unknown as
          { details?: { problems?: LineProblem[]; problemCount?: number } } | undefined;
        const problems = body?.details?.problems ?? [];
        throw new RefusedFile(
          ApiError.fromBody(result.response.status, result.error),
          problems,
          body?.details?.problemCount ?? problems.length,
        );
      }
      return result.data;
    },
    invalidates: [['optouts']],
    onSuccess: (version) =>
      setLoaded(
        `${LIST_NAMES[version.list]} loaded: version ${version.version}, ${version.count} NHS numbers.`,
      ),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setLoaded(null);
    submit(undefined);
  };
  return (
    <>
      <h1>Opt-out lists</h1>
      <QueryState query={lists} what="Loading the lists in force">
        {(data) => (
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption">The lists in force</caption>
            <ColumnHeads names={['List', 'Version', 'NHS numbers', 'Loaded']} />
            <tbody className="nhsuk-table__body">
              {data.map((item) => (
                <tr key={item.list} className="nhsuk-table__row">
                  <th scope="row" className="nhsuk-table__header">
                    {LIST_NAMES[item.list]}
                  </th>
                  <td className="nhsuk-table__cell">{item.version === 0 ? 'Never loaded' : item.version}</td>
                  <td className="nhsuk-table__cell">{item.count}</td>
                  <td className="nhsuk-table__cell">{dateTimeWords(item.loadedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>

      <h2>Load a new version</h2>
      <p>
        A CSV file with the header <code>nhs_number</code> and one NHS number a line. It replaces the list
        whole; a file with any bad line is refused whole and the list in force stays.
      </p>
      {refusal instanceof RefusedFile ? (
        <ErrorSummary>
          <ErrorSummary.Title>The file was refused: nothing changed</ErrorSummary.Title>
          <p>
            {refusal.problemCount} {refusal.problemCount === 1 ? 'line is' : 'lines are'} at fault
            {refusal.problemCount > refusal.problems.length
              ? ` (the first ${refusal.problems.length} shown)`
              : ''}
            .
          </p>
          <ul className="nhsuk-list" aria-label="Lines at fault">
            {refusal.problems.map((p) => (
              <li key={p.line}>
                Line {p.line}: {p.reason}
              </li>
            ))}
          </ul>
          {refusal.problems.length === 0 && <p>{refusal.message}</p>}
        </ErrorSummary>
      ) : (
        refusal && <RefusalSummary error={refusal} />
      )}
      {loaded && <p role="status">{loaded}</p>}
      <form onSubmit={onSubmit} noValidate>
        <Select
          id="optout-list"
          label="List"
          value={list}
          onChange={(event) => setList(event.target.value as OptOutList)}
        >
          {(Object.keys(LIST_NAMES) as OptOutList[]).map((key) => (
            <Select.Option key={key} value={key}>
              {LIST_NAMES[key]}
            </Select.Option>
          ))}
        </Select>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="optout-file">
            CSV file
          </label>
          <input
            className="nhsuk-file-upload"
            id="optout-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            ref={file}
          />
        </div>
        <Button type="submit" disabled={pending}>
          Load the list
        </Button>
      </form>
    </>
  );
}
