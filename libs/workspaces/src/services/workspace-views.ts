import type { WorkspaceEntity } from '../entities/workspace.entity';
import type { WorkspaceOperation, WorkspaceState, WorkspaceStep } from '../lifecycle/workspace-state';

export interface WorkspaceView {
  id: string;
  projectId: string;
  approvalId: string;
  size: string;
  tool: string;
  namespace: string;
  state: WorkspaceState;
  operation: WorkspaceOperation | null;
  steps: WorkspaceStep[];
  /** Steps of the current operation done or skipped, out of all. */
  progress: { done: number; total: number };
  failureReason: string | null;
  cleanupPending: boolean;
  teardownDueAt: string | null;
  /** Where the objects go: a cluster, or (no cluster attached) a folder of manifests. */
  cluster: string;
  createdAt: string;
  updatedAt: string;
}

export function workspaceView(row: WorkspaceEntity, cluster: string): WorkspaceView {
  return {
    id: row.id,
    projectId: row.projectId,
    approvalId: row.approvalId,
    size: row.size,
    tool: row.tool,
    namespace: row.namespace,
    state: row.state,
    operation: row.operation,
    steps: row.steps,
    progress: {
      done: row.steps.filter((step) => step.state === 'done' || step.state === 'skipped').length,
      total: row.steps.length,
    },
    failureReason: row.failureReason,
    cleanupPending: row.cleanupPending,
    teardownDueAt: row.teardownDueAt?.toISOString() ?? null,
    cluster,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
