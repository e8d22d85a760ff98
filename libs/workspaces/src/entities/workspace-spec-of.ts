import type { WorkspaceSpec } from '../manifests/workspace-settings';
import type { WorkspaceEntity } from './workspace.entity';

/**
 * The workspace as its row says it is, with the namespace the row names. Every builder that acts on an existing
 * workspace takes its spec from here, never one that derives the namespace again from today's prefix: a prefix
 * changed since the workspace was made would point the builders at a namespace that is not the workspace's.
 */
export function workspaceSpecOf(workspace: WorkspaceEntity): WorkspaceSpec & { namespace: string } {
  return {
    workspaceId: workspace.id,
    projectId: workspace.projectId,
    size: workspace.size,
    tool: workspace.tool,
    namespace: workspace.namespace,
  };
}
