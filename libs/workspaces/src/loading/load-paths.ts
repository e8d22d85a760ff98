/** The loader's API routes, shared by the controller and the loader so the two cannot drift apart. */
export const LOAD_ROUTES = {
  controller: 'workspace-load/:workspaceId/extracts/:extractId',
  manifest: 'manifest',
  file: 'files/:file',
  completion: 'completion',
} as const;

export interface LoadPaths {
  manifest: string;
  file(name: string): string;
  completion: string;
}

export function loadPaths(target: { apiUrl: string; workspaceId: string; extractId: string }): LoadPaths {
  const base = `${target.apiUrl.replace(/\/+$/, '')}/workspace-load/${encodeURIComponent(target.workspaceId)}/extracts/${encodeURIComponent(target.extractId)}`;
  return {
    manifest: `${base}/manifest`,
    file: (name) => `${base}/files/${encodeURIComponent(name)}`,
    completion: `${base}/completion`,
  };
}
