/** Every domain event the service emits, with its payload of ids. */
export interface DomainEventPayloads {
  /** An application (a new version of it) went to the data access committee. */
  'project.submitted': { projectId: string };
  'project.approved': { projectId: string; approvalId: string };
  /** The committee refused the application. */
  'project.rejected': { projectId: string };
  /** The committee asked for changes. */
  'project.returned': { projectId: string };
  'project.suspended': { projectId: string };
  'project.resumed': { projectId: string };
  'project.revoked': { projectId: string };
  'project.expired': { projectId: string };
  'project.closed': { projectId: string };
  'output.submitted': { requestId: string; round: number };
  /** A submission passed the automated checks and waits for the output checkers. */
  'output.ready_for_review': { requestId: string; round: number };
  /** Checkers' votes disagree on a file for the first time this round: the request is held. */
  'output.conflicted': { requestId: string; round: number };
  'output.released': { requestId: string; releaseId: string };
  'workspace.requested': { workspaceId: string; projectId: string };
  'workspace.ready': { workspaceId: string; projectId: string };
  'workspace.failed': { workspaceId: string; projectId: string };
  'workspace.suspended': { workspaceId: string; projectId: string };
  'workspace.resumed': { workspaceId: string; projectId: string };
  'workspace.deprovisioning': { workspaceId: string; projectId: string };
  'workspace.deleted': { workspaceId: string; projectId: string };
  'session.ended': { sessionId: string; workspaceId: string; projectId: string };
}

export type DomainEventType = keyof DomainEventPayloads;
