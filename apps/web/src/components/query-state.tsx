import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { RefusalSummary } from './refusal';

export interface QueryStateProps<T> {
  readonly query: UseQueryResult<T>;
  /** What the section is, for the loading message ("Loading the register"). */
  readonly what: string;
  readonly children: (data: T) => ReactNode;
}

/**
 * A section of a page fed by one query: a loading line while it loads, the data once it is there, and, when a
 * request fails, the refusal in words in the section's place. A failed refresh keeps the data already shown
 * (with the refusal above it), so a failure never blanks what the person was reading.
 */
export function QueryState<T>({ query, what, children }: QueryStateProps<T>) {
  if (query.data !== undefined) {
    return (
      <>
        {query.isError && <RefusalSummary error={query.error} />}
        {children(query.data)}
      </>
    );
  }
  if (query.isError) return <RefusalSummary error={query.error} />;
  return (
    <p role="status" className="nhsuk-body">
      {what}…
    </p>
  );
}
