import type { Schemas } from '../../api/client';
import type { paths } from '../../api/schema';

export type RegisterEntry = Schemas['RegisterEntryDto'];
/** The statuses a visitor can filter the register by: those of projects ever approved. */
export type RegisterStatus = NonNullable<
  NonNullable<paths['/register']['get']['parameters']['query']>['status']
>;

type TagColour = 'green' | 'orange' | 'red' | 'grey';

/** The register's statuses in words, with the tag colour that goes with each (the words carry the meaning). */
export const REGISTER_STATUS_WORDS: Record<RegisterStatus, { words: string; colour: TagColour }> = {
  approved: { words: 'Approved', colour: 'green' },
  suspended: { words: 'Suspended', colour: 'orange' },
  revoked: { words: 'Revoked', colour: 'red' },
  expired: { words: 'Ended', colour: 'grey' },
  closed: { words: 'Closed', colour: 'grey' },
};

export const statusWords = (status: RegisterEntry['status']): string =>
  REGISTER_STATUS_WORDS[status as RegisterStatus]?.words ?? status;

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "4 March 2026" from "2026-03-04"; "Not set" for none. */
export const dateWords = (isoDate: string | null): string =>
  isoDate ? DATE.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)) : 'Not set';
