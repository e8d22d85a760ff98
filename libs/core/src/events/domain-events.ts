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
}

export type DomainEventType = keyof DomainEventPayloads;
