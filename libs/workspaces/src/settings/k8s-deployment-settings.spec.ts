import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkLoadTokenLifetime,
  checkProductionWorkspaceSettings,
  loadWorkspaceSettings,
} from './load-workspace-settings';

/**
 * The settings file k8s/ deploys must start a production process (NODE_ENV=production) and describe the
 * Deployment it ships with: the loader must reach the API pods at the address the Service is pinned to.
 */
const K8S = join(__dirname, '..', '..', '..', '..', 'k8s');
const read = (path: string): string => readFileSync(join(K8S, path), 'utf8');

function envFile(path: string): Record<string, string> {
  const entries = read(path)
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

const clusterIpOf = (path: string): string | undefined => /clusterIP:\s*([0-9.]+)/.exec(read(path))?.[1];

describe.each([
  ['base', 'base/workspaces.json', 'base/services.yaml'],
  ['production overlay', 'overlays/production/workspaces.json', 'overlays/production/api-service-patch.yaml'],
])('k8s %s workspace settings', (_name, settingsPath, servicePath) => {
  const file = join(K8S, settingsPath);
  const settings = loadWorkspaceSettings(file);
  const config = envFile('base/config.env');

  it('pass the production start-up checks with the deployed token lifetime', () => {
    expect(() => checkProductionWorkspaceSettings(settings, file, 'production')).not.toThrow();
    expect(() =>
      checkLoadTokenLifetime(settings, Number(config.WORKSPACE_LOAD_TOKEN_TTL_SECONDS ?? 2100)),
    ).not.toThrow();
  });

  it('send the loader to the pinned Service address, and admit it to the API pods on their container port', () => {
    const url = new URL(settings.apiEgress.url);
    expect(url.hostname).toBe(clusterIpOf(servicePath));
    expect(url.port || '80').toBe(/port:\s*(\d+)/.exec(read('base/services.yaml'))?.[1]);
    expect(settings.apiEgress.port).toBe(Number(config.PORT));
    expect(settings.apiEgress.to).toEqual({
      namespaceLabels: { 'kubernetes.io/metadata.name': 'tre-system' },
      podLabels: { 'app.kubernetes.io/name': 'tre-api' },
    });
    expect(read('base/api-deployment.yaml')).toContain(`containerPort: ${settings.apiEgress.port}`);
  });

  it("give Jupyter's and RStudio's own PATH, so /opt/tre/bin (tre sdc) goes before it, not instead of it", () => {
    // Kubernetes replaces an image's PATH: without these, start-notebook.py and rserver would not be found.
    expect(settings.toolImages.jupyterlab?.env?.PATH).toMatch(/^\/opt\/conda\/bin:/);
    expect(settings.toolImages.rstudio?.env?.PATH).toMatch(/^\/usr\/lib\/rstudio-server\/bin:/);
  });
});

it('the deployed WORKSPACE_SETTINGS_FILE is where the api and worker mount the generated ConfigMap', () => {
  const path = envFile('base/config.env').WORKSPACE_SETTINGS_FILE ?? '';
  const dir = path.slice(0, path.lastIndexOf('/'));
  expect(path.endsWith('/workspaces.json')).toBe(true);
  for (const deployment of ['base/api-deployment.yaml', 'base/worker-deployment.yaml']) {
    expect(read(deployment)).toMatch(new RegExp(`name: workspaces[^\\n]*\\n\\s+mountPath: ${dir}\\n`));
  }
});
