import { DEFAULT_LOADER_SETTINGS, type WorkspaceSettings } from '../manifests/workspace-settings';

/**
 * Development defaults, used when WORKSPACE_SETTINGS_FILE is unset: the three sizes, the three tools of the
 * allow-list, the gateway selected by label, and the API reached from the loader by the pods of `tre-api` in
 * `tre-system` (as k8s/base deploys it) on its container port. A deployment names digests and its own API
 * address in the settings file.
 */
export const DEVELOPMENT_WORKSPACE_SETTINGS: WorkspaceSettings = {
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
      // The image's PATH, which the tool's container gets after /opt/tre/bin (`tre sdc`): see tool-kit.ts.
      env: { PATH: '/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      runAsUser: 1000,
      runAsGroup: 100,
      writablePaths: ['/home/jovyan'],
    },
    rstudio: {
      image: 'rocker/rstudio:4.4.1',
      port: 8787,
      env: {
        PATH: '/usr/lib/rstudio-server/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      },
      runAsUser: 1000,
      runAsGroup: 1000,
      writablePaths: ['/home/rstudio', '/var/lib/rstudio-server', '/var/run/rstudio-server'],
    },
    'code-server': {
      image: 'codercom/code-server:4.91.1',
      port: 8080,
      runAsUser: 1000,
      runAsGroup: 1000,
      writablePaths: ['/home/coder'],
    },
  },
  gateway: {
    namespaceLabels: { 'kubernetes.io/metadata.name': 'tre-gateway' },
    podLabels: { 'app.kubernetes.io/name': 'tre-gateway' },
  },
  apiEgress: {
    url: 'http://10.96.0.50:3000',
    port: 3000,
    to: {
      namespaceLabels: { 'kubernetes.io/metadata.name': 'tre-system' },
      podLabels: { 'app.kubernetes.io/name': 'tre-api' },
    },
  },
  loaderImage: 'tre-orchestrator:latest',
  loader: { ...DEFAULT_LOADER_SETTINGS },
  fsGroup: 2000,
};
