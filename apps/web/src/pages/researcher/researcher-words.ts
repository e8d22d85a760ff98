import type { Schemas } from '../../api/client';
import type { Step, StepState } from '../../components/step-list';

export type Project = Schemas['ProjectDto'];
export type ProjectStatus = Project['status'];
export type OutputStatus = Schemas['OutputRequestDto']['status'];
export type WorkspaceState = Schemas['WorkspaceDto']['state'];
type TagColour = 'green' | 'orange' | 'red' | 'grey' | 'blue' | 'yellow' | 'white';

const PROJECT: Record<ProjectStatus, { words: string; colour: TagColour }> = {
  draft: { words: 'Draft', colour: 'white' },
  submitted: { words: 'Submitted', colour: 'blue' },
  in_review: { words: 'In review', colour: 'blue' },
  returned: { words: 'Returned for changes', colour: 'orange' },
  approved: { words: 'Approved', colour: 'green' },
  rejected: { words: 'Rejected', colour: 'red' },
  withdrawn: { words: 'Withdrawn', colour: 'grey' },
  suspended: { words: 'Suspended', colour: 'orange' },
  revoked: { words: 'Revoked', colour: 'red' },
  expired: { words: 'Ended', colour: 'grey' },
  closed: { words: 'Closed', colour: 'grey' },
};

const OUTPUT: Record<OutputStatus, { words: string; colour: TagColour }> = {
  draft: { words: 'Draft', colour: 'white' },
  submitted: { words: 'Submitted', colour: 'blue' },
  checking: { words: 'Being checked', colour: 'blue' },
  blocked: { words: 'Blocked by the checks', colour: 'red' },
  in_review: { words: 'With output checkers', colour: 'blue' },
  approved: { words: 'Approved', colour: 'green' },
  rejected: { words: 'Rejected', colour: 'red' },
  returned: { words: 'Returned for changes', colour: 'orange' },
  withdrawn: { words: 'Withdrawn', colour: 'grey' },
  released: { words: 'Released', colour: 'green' },
};

const WORKSPACE: Record<WorkspaceState, string> = {
  requested: 'Requested',
  provisioning: 'Being set up',
  ready: 'Ready',
  suspended: 'Suspended',
  deprovisioning: 'Being removed',
  deleted: 'Removed',
  failed: 'Failed',
};

export const projectStatus = (status: ProjectStatus) => PROJECT[status];
export const outputStatus = (status: OutputStatus) => OUTPUT[status];
export const workspaceStateWords = (state: WorkspaceState): string => WORKSPACE[state];

/** Output requests waiting on the researcher: drafts to finish, blocks to fix, returns to answer. */
export const OUTPUT_NEEDS_ME: readonly OutputStatus[] = ['draft', 'blocked', 'returned'];
/** Applications waiting on the researcher. */
export const PROJECT_NEEDS_ME: readonly ProjectStatus[] = ['draft', 'returned'];
/** Output checks are still running: the page polls. */
export const OUTPUT_BUSY: readonly OutputStatus[] = ['submitted', 'checking'];

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "4 March 2026" from "2026-03-04" (or a timestamp); "Not set" for none. */
export const dateWords = (iso: string | null | undefined): string =>
  iso ? DATE.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : 'Not set';
export const timeWords = (iso: string | null | undefined): string =>
  iso ? `${TIME.format(new Date(iso))} UTC` : 'Not yet';

/**
 * "remove-opt-outs" → "Remove opt outs": step names are kebab, snake or spaced words; a code in capitals
 * (GP_REGISTRATIONS) keeps its underscores.
 */
export const stepLabel = (name: string): string => {
  const words = name
    .split(/[\s-]+/)
    .map((word) => (word === word.toLowerCase() ? word.replace(/_+/g, ' ') : word))
    .join(' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const NUMBER = new Intl.NumberFormat('en-GB');

/** A step's detail in words: "rows: 12,430, opted out: 87" (counts only; the API never sends identifiers). */
export function detailWords(detail: Record<string, unknown> | undefined): string | undefined {
  if (!detail) return undefined;
  const parts = Object.entries(detail)
    .filter(([, value]) => ['number', 'string', 'boolean'].includes(typeof value))
    .map(
      ([key, value]) =>
        `${stepLabel(key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())}: ${
          typeof value === 'number' ? NUMBER.format(value) : String(value)
        }`,
    );
  return parts.length ? parts.join(', ') : undefined;
}

const EXTRACT_STATE: Record<Schemas['ExtractStepDto']['state'], StepState> = {
  pending: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
};

export const extractSteps = (extract: Schemas['ExtractDto']): Step[] =>
  extract.steps.map((step) => ({
    key: step.name,
    label: stepLabel(step.name),
    state: EXTRACT_STATE[step.state],
    detail: detailWords(step.detail),
  }));

const WORKSPACE_STEP_STATE: Record<Schemas['WorkspaceStepDto']['state'], StepState> = {
  pending: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'done',
};

export const workspaceSteps = (workspace: Schemas['WorkspaceDto']): Step[] =>
  workspace.steps.map((step) => ({
    key: step.name,
    label: stepLabel(step.name),
    state: WORKSPACE_STEP_STATE[step.state],
    detail:
      [
        step.state === 'skipped' ? 'Skipped' : null,
        step.note,
        step.error ? `Error: ${step.error}` : null,
        step.attempts > 1 ? `${step.attempts} attempts` : null,
        step.nextRetryAt ? `next try ${timeWords(step.nextRetryAt)}` : null,
      ]
        .filter(Boolean)
        .join('; ') || undefined,
  }));

export const extractSettled = (extract: Schemas['ExtractDto']): boolean =>
  extract.status === 'ready' || extract.status === 'failed';
export const workspaceSettled = (workspace: Schemas['WorkspaceDto']): boolean =>
  !['requested', 'provisioning', 'deprovisioning'].includes(workspace.state) && workspace.operation === null;

/**
 * Others change a researcher's projects and requests (the committee, the checkers, the worker): their pages
 * ask again each time they are opened, showing what they had meanwhile, rather than trusting a copy 10 s old.
 */
export const FRESH = 0;
