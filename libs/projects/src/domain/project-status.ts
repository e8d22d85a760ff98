import { lifecycle, type TransitionTable } from '@tre/core';

export const PROJECT_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
  'suspended',
  'revoked',
  'expired',
  'closed',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** What can happen to a project. Each action is audited as `project.<past tense>`. */
export type ProjectAction =
  | 'submit'
  | 'start_review'
  | 'approve'
  | 'reject'
  | 'return'
  | 'withdraw'
  | 'suspend'
  | 'resume'
  | 'revoke'
  | 'expire'
  | 'close';

/**
 * The lifecycle, as a table: from each state, the actions allowed and where they lead. Anything not listed
 * is refused with a 409 that says what the project's state is.
 */
const TRANSITIONS: TransitionTable<ProjectStatus, ProjectAction> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { start_review: 'in_review' },
  in_review: { approve: 'approved', reject: 'rejected', return: 'returned' },
  returned: { submit: 'submitted', withdraw: 'withdrawn' },
  approved: { suspend: 'suspended', revoke: 'revoked', expire: 'expired', close: 'closed' },
  suspended: { resume: 'approved', revoke: 'revoked', expire: 'expired' },
  rejected: {},
  withdrawn: {},
  revoked: {},
  expired: {},
  closed: {},
};

export const PAST_TENSE: Readonly<Record<ProjectAction, string>> = {
  submit: 'submitted',
  start_review: 'review_started',
  approve: 'approved',
  reject: 'rejected',
  return: 'returned',
  withdraw: 'withdrawn',
  suspend: 'suspended',
  resume: 'resumed',
  revoke: 'revoked',
  expire: 'expired',
  close: 'closed',
};

const PROJECT_LIFECYCLE = lifecycle('project', TRANSITIONS);

/** The state after `action`, or an IllegalTransitionError saying why not. */
export function nextStatus(from: ProjectStatus, action: ProjectAction): ProjectStatus {
  return PROJECT_LIFECYCLE.next(from, action);
}

/** Statuses the public register shows: every project that was ever approved. */
export const REGISTER_STATUSES: readonly ProjectStatus[] = [
  'approved',
  'suspended',
  'revoked',
  'expired',
  'closed',
];

/** The ends of an approved project: its workspace is torn down and its data deleted when retention says. */
export const ENDED_STATUSES: readonly ProjectStatus[] = ['revoked', 'expired', 'closed'];

/** While in these states an application's content is frozen. */
export const EDITABLE_STATUSES: readonly ProjectStatus[] = ['draft', 'returned'];
