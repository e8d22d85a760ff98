import { DomainError } from './domain-error';

/** A dependency (the database, the job queue) is away or too slow: the API answers 503 with the reason. */
export class UnavailableError extends DomainError {
  constructor(dependency: string, reason: string) {
    super('unavailable', `${dependency} is unavailable (${reason}); try again shortly`, { dependency });
  }
}
