import type { WorkspaceOperation, WorkspaceState, WorkspaceStep } from '../lifecycle/workspace-state';
import type { WorkspaceRow } from './workspace-reads';

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
  /** `attached`: objects go to a cluster and the tool runs; `none`: only manifests are written, nothing runs. */
  cluster: ClusterPresence;
  /** Where the objects go: the cluster's API, or the folder the manifests are written to. */
  clusterTarget: string;
  /** Said plainly when nothing runs (no cluster attached), whatever the state; null with a cluster. */
  clusterNotice: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One page of `GET /workspaces`, the same shape as every paged list. */
export interface WorkspacePage {
  readonly items: WorkspaceView[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export const CLUSTER_PRESENCES = ['attached', 'none'] as const;
export type ClusterPresence = (typeof CLUSTER_PRESENCES)[number];

export interface ClusterFacts {
  cluster: ClusterPresence;
  clusterTarget: string;
  clusterNotice: string | null;
}

/**
 * What to say about where a workspace lives. Without a cluster the lifecycle still runs (a workspace becomes
 * `ready` once its manifests are all written), so every view says, next to the state, that nothing runs.
 */
export function clusterFacts(attached: boolean, target: string): ClusterFacts {
  return {
    cluster: attached ? 'attached' : 'none',
    clusterTarget: target,
    clusterNotice: attached
      ? null
      : 'No cluster attached: only manifests were written; nothing runs and there is no tool to open.',
  };
}

export function workspaceView(row: WorkspaceRow, cluster: ClusterFacts): WorkspaceView {
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
    ...cluster,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
