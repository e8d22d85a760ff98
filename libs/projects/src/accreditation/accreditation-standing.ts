import type { AccreditationState } from './accreditation.entity';

/** What the register holds for a person, as far as a decision needs it. */
export interface RegisterRecord {
  readonly state: AccreditationState;
  readonly expiresOn: string;
}

export interface AccreditationStanding {
  readonly lapsed: boolean;
  /** The expiry that decided it: the register's where it has a record, else the declared one. */
  readonly expiresOn: string;
  readonly source: 'register' | 'declared';
}

/**
 * The one accreditation rule: a register record, where one exists, decides (lapsed by an admin or past its
 * expiry); with none, the date the researcher declared on the membership still applies. Dates are whole days,
 * YYYY-MM-DD, compared as text; `today` is the caller's (UTC) day.
 */
export function accreditationStanding(
  declaredExpiresOn: string,
  record: RegisterRecord | null | undefined,
  today: string,
): AccreditationStanding {
  if (record) {
    return {
      lapsed: record.state === 'lapsed' || record.expiresOn < today,
      expiresOn: record.expiresOn,
      source: 'register',
    };
  }
  return { lapsed: declaredExpiresOn < today, expiresOn: declaredExpiresOn, source: 'declared' };
}
