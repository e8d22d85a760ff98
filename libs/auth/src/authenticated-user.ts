import type { Role } from './roles';

/** Claims a verified token gives us, before we know the user row. */
export interface VerifiedClaims {
  readonly issuer: string;
  readonly subject: string;
  readonly name: string;
  readonly roles: Role[];
  /** The `email` claim when the token carries a well-formed one: where notification emails go. */
  readonly email?: string;
}

/** The caller of a request, as the rest of the service sees them. */
export interface AuthenticatedUser {
  readonly id: string;
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly Role[];
}
