import type { Schemas } from '../../api/client';

export type OutputRequest = Schemas['OutputRequestDto'];
export type OutputFile = Schemas['OutputFileDto'];
export type OutputVote = 'approve' | 'request_changes' | 'reject';

export const VOTE_WORDS: Record<OutputVote, string> = {
  approve: 'Approve',
  request_changes: 'Request changes',
  reject: 'Reject',
};

const STATUS_WORDS: Record<string, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  checking: 'Being checked automatically',
  blocked: 'Blocked by the automated checks',
  in_review: 'In review',
  approved: 'Approved',
  rejected: 'Rejected',
  returned: 'Returned to the researcher',
  withdrawn: 'Withdrawn',
  released: 'Released',
};
export const statusWords = (status: string): string => STATUS_WORDS[status] ?? status;

const CHECK_WORDS: Record<string, string> = {
  pass: 'Passed every automated check',
  review: 'Needs a person to look',
  fail: 'Fails a rule',
  manual: 'No record: review by hand',
};
export const checkWords = (status: string | undefined): string =>
  status ? (CHECK_WORDS[status] ?? status) : 'Not checked yet';

const DECISION_WORDS: Record<string, string> = {
  pending: 'Not decided',
  approved: 'Approved',
  changes_requested: 'Changes requested',
  rejected: 'Rejected',
};
export const decisionWords = (decision: string): string => DECISION_WORDS[decision] ?? decision;

/** "3 hours ago": how long something has waited, in the largest whole unit. */
export function timeSince(iso: string | null, now: number = Date.now()): string {
  if (!iso) return 'not submitted';
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  const units: [number, string][] = [
    [60 * 24, 'day'],
    [60, 'hour'],
    [1, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (minutes >= size) {
      const n = Math.floor(minutes / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

export const dateTimeWords = (iso: string | null): string =>
  iso
    ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) +
      ' UTC'
    : '–';
