/**
 * Domain errors carry a stable code. The API maps codes to HTTP statuses in one filter and the worker
 * records them on failed jobs, so the same service code runs under both.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'illegal_transition',
  'separation_of_duties',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(subject: string, id: string) {
    super('not_found', `${subject} ${id} was not found`, { subject, id });
  }
}

/** A state change the lifecycle does not allow from the current state. */
export class IllegalTransitionError extends DomainError {
  constructor(subject: string, from: string, action: string, reason?: string) {
    super(
      'illegal_transition',
      `Cannot ${action} ${/^[aeiou]/i.test(subject) ? 'an' : 'a'} ${subject} that is ${from}${reason ? `: ${reason}` : ''}`,
      { subject, from, action },
    );
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('validation_failed', message, details);
  }
}
