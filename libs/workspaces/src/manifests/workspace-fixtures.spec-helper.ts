import type { WorkspaceObject } from './kube-types';
import { DEFAULT_LOADER_SETTINGS, type WorkspaceSettings, type WorkspaceSpec } from './workspace-settings';

export const WORKSPACE_ID = '3f2b8c4e-1d2a-4b6c-9e8f-0a1b2c3d4e5f';
export const PROJECT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const EXTRACT_ID = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
export const TOKEN_SECRET = 'load-token-0c1d2e3f';

export function exampleSpec(overrides: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  return {
    workspaceId: WORKSPACE_ID,
    projectId: PROJECT_ID,
    size: 'small',
    tool: 'jupyterlab',
    ...overrides,
  };
}

/** Settings shaped like a real deployment's: an API reached by ClusterIP, so no DNS egress. */
export function exampleSettings(overrides: Partial<WorkspaceSettings> = {}): WorkspaceSettings {
  return {
    namespacePrefix: 'tre-ws-',
    sizes: {
      small: { cpu: '1', memory: '2Gi', storage: { data: '10Gi', outputs: '5Gi' }, pods: 3 },
      medium: { cpu: '2', memory: '8Gi', storage: { data: '50Gi', outputs: '20Gi' }, pods: 3 },
      large: { cpu: '8', memory: '32Gi', storage: { data: '200Gi', outputs: '50Gi' }, pods: 3 },
    },
    toolImages: {
      jupyterlab: {
        image: 'quay.io/jupyter/minimal-notebook:2024-07-02',
        port: 8888,
        args: ['start-notebook.py', '--ServerApp.base_url=/'],
        env: { JUPYTER_ALLOW_INSECURE_WRITES: 'false' },
        runAsUser: 1000,
        runAsGroup: 100,
        writablePaths: ['/home/jovyan'],
      },
      'code-server': { image: 'codercom/code-server:4.91.1', port: 8080, writablePaths: ['/home/coder'] },
    },
    gateway: {
      namespaceLabels: { 'tre.gateway': 'true' },
      podLabels: { 'app.kubernetes.io/name': 'tre-gateway' },
    },
    apiEgress: { url: 'http://10.96.0.50:3000', port: 3000, to: { cidr: '10.96.0.50/32' } },
    loaderImage: 'ghcr.io/example/tre-orchestrator:0.1.0',
    loader: { ...DEFAULT_LOADER_SETTINGS },
    fsGroup: 2000,
    ...overrides,
  };
}

/** The objects of one kind from a list, typed by kind. */
export function ofKind<K extends WorkspaceObject['kind']>(
  objects: WorkspaceObject[],
  kind: K,
): Extract<WorkspaceObject, { kind: K }>[] {
  return objects.filter((object): object is Extract<WorkspaceObject, { kind: K }> => object.kind === kind);
}
