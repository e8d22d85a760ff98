import type { ErrorCode } from './domain-error';

/** The one place where a domain error code becomes an HTTP status. */
export const HTTP_STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  separation_of_duties: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The code reported for a plain HTTP status (framework errors such as an unknown route). */
export function codeOfStatus(status: number): ErrorCode {
  const found = (Object.entries(HTTP_STATUS_OF) as [ErrorCode, number][]).find(([, s]) => s === status);
  return found ? found[0] : status >= 500 ? 'internal' : 'validation_failed';
}
