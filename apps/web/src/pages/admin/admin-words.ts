import type { Schemas } from '../../api/client';

export type Workspace = Schemas['WorkspaceDto'];
export type Person = Schemas['PersonDto'];
export type Accreditation = NonNullable<Person['accreditation']>;

/** The NHS.UK date input's three boxes as the API's YYYY-MM-DD; '' when all are empty (the API says so). */
export function isoFromDateParts(parts: { day: string; month: string; year: string }): string {
  const [day, month, year] = [parts.day.trim(), parts.month.trim(), parts.year.trim()];
  if (!day && !month && !year) return '';
  // Padded but not judged: an impossible date goes to the API, which names the field it refuses.
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** "30 June 2027" for a YYYY-MM-DD. */
export const dayWords = (iso: string): string =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** What the register says of a person, in words: the state that decides, not colour alone. */
export function accreditationWords(accreditation: Accreditation | null): string {
  if (!accreditation) return 'Not on the register (the expiry declared on each project applies)';
  if (accreditation.state === 'lapsed') return `Lapsed: ${accreditation.lapsedReason ?? 'no reason given'}`;
  if (accreditation.expired) return `Expired on ${dayWords(accreditation.expiresOn)}`;
  return `Current until ${dayWords(accreditation.expiresOn)}`;
}

const messages = (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`;

/** Whether a person's messages can be emailed: the address comes from their identity provider only. */
export function emailWords(person: Pick<Person, 'emailAddressKnown' | 'messagesNotEmailed'>): string {
  if (person.emailAddressKnown) return 'Address from sign-in';
  const waiting = person.messagesNotEmailed
    ? `: ${messages(person.messagesNotEmailed)} in the inbox only`
    : '';
  return `No address from the identity provider${waiting}`;
}

/** People named on projects who have never signed in: their messages wait, not emailed. */
export function notSignedInWords(counts: { people: number; messages: number }): string {
  const who =
    counts.people === 1
      ? '1 person named on a project has'
      : `${counts.people} people named on projects have`;
  return (
    `${who} not signed in yet: ${messages(counts.messages)} ${counts.messages === 1 ? 'waits' : 'wait'} in their inboxes, not emailed, since ` +
    'no address is known for someone until their identity provider gives one at sign-in.'
  );
}

/** Which register change the page offers for a person: set (none or lapsed), or renew and lapse (current). */
export function accreditationActions(accreditation: Accreditation | null): ('set' | 'renew' | 'lapse')[] {
  if (!accreditation || accreditation.state === 'lapsed') return ['set'];
  return ['renew', 'lapse'];
}

/** What an admin may do to a workspace in its state (the API refuses the rest with a 409 saying why). */
export function workspaceActions(workspace: Pick<Workspace, 'state'>): ('suspend' | 'resume' | 'delete')[] {
  const actions: ('suspend' | 'resume' | 'delete')[] = [];
  if (workspace.state === 'ready') actions.push('suspend');
  if (workspace.state === 'suspended') actions.push('resume');
  if (!['deleted', 'deprovisioning'].includes(workspace.state)) actions.push('delete');
  return actions;
}

/**
 * A workspace's state for the list, with what follows its project: once the project ended, access ended at
 * once and the workspace is removed at `teardownDueAt` (after the grace period).
 */
export function workspaceStateLine(
  workspace: Pick<Workspace, 'state' | 'teardownDueAt'>,
  stateWords: (state: Workspace['state']) => string,
): string {
  const words = stateWords(workspace.state);
  if (!workspace.teardownDueAt || ['deleted', 'deprovisioning'].includes(workspace.state)) return words;
  const due = new Date(workspace.teardownDueAt).toISOString().slice(0, 16).replace('T', ' ');
  return `${words}: access ended with the project, removed at ${due} UTC`;
}

/**
 * A workspace's steps in one line for the list: progress, then the step in trouble with its attempts, its
 * error and when it is tried again.
 */
export function stepSummary(workspace: Pick<Workspace, 'steps' | 'progress'>): string {
  const parts = [`${workspace.progress.done} of ${workspace.progress.total} steps done`];
  const troubled = workspace.steps.filter((s) => s.error || s.attempts > 1 || s.nextRetryAt);
  for (const step of troubled) {
    const bits = [`${step.attempts} ${step.attempts === 1 ? 'attempt' : 'attempts'}`];
    if (step.error) bits.push(`error: ${step.error}`);
    if (step.nextRetryAt) bits.push(`next try ${new Date(step.nextRetryAt).toISOString().slice(11, 16)} UTC`);
    parts.push(`${step.name.replace(/_/g, ' ')}: ${bits.join(', ')}`);
  }
  return parts.join('; ');
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** "1.5 MB": a byte count for people (1,000s, as a person reads a size). */
export function bytesWords(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
