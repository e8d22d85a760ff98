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

// The public pages write dates and counts without Intl: a page's first use of Intl starts ICU, which took
// 30 ms of CPU (100 to 300 ms on this shared machine) in the register's first render, all on the way to its
// data. The results are Intl's own for en-GB (register-words.test.ts compares them).
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "4 March 2026" from "2026-03-04" (or a timestamp: its UTC day); "Not set" for none. */
export const dateWords = (isoDate: string | null): string => {
  const day = isoDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate) : null;
  return day ? `${Number(day[3])} ${MONTHS[Number(day[2]) - 1]} ${day[1]}` : 'Not set';
};

/** A whole number with commas between thousands: "1,000 projects". */
export const countWords = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
