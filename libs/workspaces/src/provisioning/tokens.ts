/** Nest injection tokens of the workspaces library. */
export const WORKSPACE_SETTINGS = Symbol('WORKSPACE_SETTINGS');
export const CLUSTER_DRIVER = Symbol('CLUSTER_DRIVER');
export const EXTRACT_LOOKUP = Symbol('EXTRACT_LOOKUP');
