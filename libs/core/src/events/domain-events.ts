/** Every domain event the service emits, with its payload of ids. */
export interface DomainEventPayloads {
  'project.approved': { projectId: string; approvalId: string };
  'project.suspended': { projectId: string };
  'project.resumed': { projectId: string };
  'project.revoked': { projectId: string };
  'project.expired': { projectId: string };
  'project.closed': { projectId: string };
  'output.submitted': { requestId: string; round: number };
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
