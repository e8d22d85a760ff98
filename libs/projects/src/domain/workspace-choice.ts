/** The workspace an application asks for; either part may be left to the deployment's default. */
export interface WorkspaceChoiceInput {
  readonly size?: string;
  readonly tool?: string;
}

/** A choice with its defaults filled in and checked against what this deployment allows. */
export interface WorkspaceChoice {
  readonly size: string;
  readonly tool: string;
}

/**
 * Checks a choice against the deployment's sizes and tool allow-list, which live with the workspaces; throws
 * a ValidationError (400) naming what is not allowed. Provided by the workspaces library.
 */
export interface WorkspaceChoicePolicy {
  resolve(choice: WorkspaceChoiceInput | null | undefined): WorkspaceChoice;
}

export const WORKSPACE_CHOICE_POLICY = Symbol('WORKSPACE_CHOICE_POLICY');
