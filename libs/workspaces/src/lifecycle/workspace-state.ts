import { IllegalTransitionError } from '@tre/core';

export const WORKSPACE_STATES = [
  'requested',
  'provisioning',
  'ready',
  'suspended',
  'deprovisioning',
  'deleted',
  'failed',
] as const;
export type WorkspaceState = (typeof WORKSPACE_STATES)[number];

export type WorkspaceAction =
  'provision' | 'become_ready' | 'fail' | 'suspend' | 'resume' | 'deprovision' | 'mark_deleted';

/**
 * The lifecycle of DESIGN.md, plus two edges it needs in practice: a workspace whose project ends while it is
 * still being requested or provisioned must be torn down too (the revocation wins over the provisioning, which
 * notices and stops), and a provisioning that is resumed by another worker stays `provisioning`.
 */
const TRANSITIONS: Record<WorkspaceAction, { from: readonly WorkspaceState[]; to: WorkspaceState }> = {
  provision: { from: ['requested', 'provisioning'], to: 'provisioning' },
  become_ready: { from: ['provisioning'], to: 'ready' },
  fail: { from: ['provisioning'], to: 'failed' },
  suspend: { from: ['ready'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'ready' },
  deprovision: {
    from: ['requested', 'provisioning', 'ready', 'suspended', 'failed', 'deprovisioning'],
    to: 'deprovisioning',
  },
  mark_deleted: { from: ['deprovisioning'], to: 'deleted' },
};

const WHY_NOT: Partial<Record<WorkspaceAction, string>> = {
  suspend: 'only a ready workspace can be suspended',
  resume: 'only a suspended workspace can be resumed',
  become_ready: 'only a workspace being provisioned can become ready',
  provision: 'only a requested workspace is provisioned',
  deprovision: 'it is already deleted',
  mark_deleted: 'only a workspace being torn down can be marked deleted',
  fail: 'only a workspace being provisioned can fail',
};

/** The state after `action`, or a 409 saying why the table refuses it. */
export function nextWorkspaceState(from: WorkspaceState, action: WorkspaceAction): WorkspaceState {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(from)) {
    throw new IllegalTransitionError('workspace', from, action.replace('_', ' '), WHY_NOT[action]);
  }
  return rule.to;
}

export function canTransition(from: WorkspaceState, action: WorkspaceAction): boolean {
  return TRANSITIONS[action].from.includes(from);
}

/** States in which objects exist in the cluster and should match their desired state. */
export const LIVE_STATES: readonly WorkspaceState[] = ['ready', 'suspended'];
/** States in which a workspace still owns its namespace (the reconciler does not call it an orphan). */
export const OWNING_STATES: readonly WorkspaceState[] = [
  'requested',
  'provisioning',
  'ready',
  'suspended',
  'deprovisioning',
];

/**
 * The most tool replicas a workspace row allows: one while it is being provisioned or ready and its access has
 * not ended; none once suspended, torn down or failed, or once its project ended (`teardownDueAt` set: access
 * ends at once, only the deletion waits for the grace period). Whatever scales the tool asks this of the row
 * as read under its lock, so nothing can raise the replicas above what the row allows at that moment.
 */
export function allowedToolReplicas(row: { state: WorkspaceState; teardownDueAt: Date | null }): 0 | 1 {
  return (row.state === 'ready' || row.state === 'provisioning') && row.teardownDueAt === null ? 1 : 0;
}

export const STEP_STATES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const WORKSPACE_OPERATIONS = ['provision', 'suspend', 'resume', 'teardown'] as const;
export type WorkspaceOperation = (typeof WORKSPACE_OPERATIONS)[number];

/** One step of an operation, as recorded while it runs. */
export interface WorkspaceStep {
  name: string;
  state: StepState;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** When the job will try again after a transient error; null when not waiting. */
  nextRetryAt: string | null;
  /** Why the step was skipped, or a short fact about what it did (counts, names; never a secret). */
  note: string | null;
}

export function pendingStep(name: string): WorkspaceStep {
  return {
    name,
    state: 'pending',
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    error: null,
    nextRetryAt: null,
    note: null,
  };
}

/** Delay before retry `attempt` (1-based count of attempts made): base, doubled each time, at most 5 minutes. */
export function workspaceRetryDelayMs(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempt - 1), 300_000);
}
