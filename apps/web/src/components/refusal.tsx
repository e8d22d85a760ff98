import { ErrorSummary } from 'nhsuk-react-components';
import { ApiError } from '../api/api-error';

/** Turns any thrown value into an ApiError with words in it (a bug in the page included). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(
    0,
    'internal',
    error instanceof Error ? error.message : 'Something went wrong in this page',
  );
}

const TITLES: Record<number, string> = {
  0: 'The service could not be reached',
  400: 'There is a problem',
  401: 'You need to sign in again',
  403: 'You are not allowed to do this',
  404: 'Not found',
  409: 'This cannot be done now',
  429: 'Too many requests',
};

export const refusalTitle = (status: number): string =>
  TITLES[status] ?? (status >= 500 ? 'The service had a problem' : 'There is a problem');

/** `{ title: ['...'] }` → the fields the page shows messages on; `fieldIds` maps an API field to its input id. */
export interface RefusalSummaryProps {
  readonly error: unknown;
  /** For a 400: the id of the input holding each field the API named, so the summary links to it. */
  readonly fieldIds?: Record<string, string>;
}

/**
 * A refusal or failure, in words, where it happened: the NHS error summary, titled by what kind of refusal it
 * is (403, 409, ...) and carrying the API's reason; for a 400, one line per field, linking to the field. It
 * takes focus, so a screen reader announces it and the keyboard is next to it.
 */
export function RefusalSummary({ error, fieldIds = {} }: RefusalSummaryProps) {
  const refusal = asApiError(error);
  const fieldLines = Object.entries(refusal.fields).flatMap(([field, messages]) =>
    messages.map((message) => ({ field, message })),
  );
  return (
    <ErrorSummary>
      <ErrorSummary.Title>{refusalTitle(refusal.status)}</ErrorSummary.Title>
      {fieldLines.length === 0 && <p>{refusal.message}</p>}
      {fieldLines.length > 0 && (
        <ErrorSummary.List>
          {fieldLines.map(({ field, message }) => (
            <ErrorSummary.ListItem key={`${field}:${message}`} href={`#${fieldIds[field] ?? field}`}>
              {message}
            </ErrorSummary.ListItem>
          ))}
        </ErrorSummary.List>
      )}
      {refusal.requestId && refusal.status >= 500 && <p>Request id: {refusal.requestId}</p>}
    </ErrorSummary>
  );
}

/** The message(s) the API gave for one field, for the field's own error line (undefined when none). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = error.fields[field];
  return messages?.length ? messages.join('. ') : undefined;
}
