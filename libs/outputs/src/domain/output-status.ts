import { IllegalTransitionError, lifecycle, type TransitionTable } from '@tre/core';

export const OUTPUT_STATUSES = [
  'draft',
  'submitted',
  'checking',
  'blocked',
  'in_review',
  'approved',
  'rejected',
  'returned',
  'withdrawn',
  'released',
] as const;
export type OutputStatus = (typeof OUTPUT_STATUSES)[number];

/** What can happen to an output request. Each action is audited as `output.<past tense>`. */
export type OutputAction =
  | 'submit'
  | 'start_check'
  | 'block'
  | 'pass_checks'
  | 'approve'
  | 'reject'
  | 'return'
  | 'withdraw'
  | 'release';

/**
 * The airlock's lifecycle as a table. A blocked request is mended and resubmitted like a returned one
 * (the researcher suppresses the flagged cells); anything not listed is refused with a 409 saying why.
 */
const TRANSITIONS: TransitionTable<OutputStatus, OutputAction> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { start_check: 'checking' },
  checking: { block: 'blocked', pass_checks: 'in_review' },
  blocked: { submit: 'submitted', withdraw: 'withdrawn' },
  in_review: { approve: 'approved', reject: 'rejected', return: 'returned' },
  returned: { submit: 'submitted', withdraw: 'withdrawn' },
  approved: { release: 'released' },
  rejected: {},
  withdrawn: {},
  released: {},
};

export const OUTPUT_PAST_TENSE: Readonly<Record<OutputAction, string>> = {
  submit: 'submitted',
  start_check: 'check_started',
  block: 'blocked',
  pass_checks: 'checks_passed',
  approve: 'approved',
  reject: 'rejected',
  return: 'returned',
  withdraw: 'withdrawn',
  release: 'released',
};

/** While in these states the researcher may add, replace and remove files. */
export const EDITABLE_OUTPUT_STATUSES: readonly OutputStatus[] = ['draft', 'blocked', 'returned'];

const OUTPUT_LIFECYCLE = lifecycle('output request', TRANSITIONS);

/** The state after `action`, or an IllegalTransitionError saying why not. */
export function nextOutputStatus(from: OutputStatus, action: OutputAction): OutputStatus {
  return OUTPUT_LIFECYCLE.next(from, action);
}

export function allowedOutputActions(from: OutputStatus): OutputAction[] {
  return OUTPUT_LIFECYCLE.allowed(from);
}

/** Files change only while the request is with the researcher. */
export function notEditable(from: OutputStatus, action: string): IllegalTransitionError {
  return new IllegalTransitionError(
    'output request',
    from,
    action,
    `files can change only while it is ${EDITABLE_OUTPUT_STATUSES.join(', ')}`,
  );
}
