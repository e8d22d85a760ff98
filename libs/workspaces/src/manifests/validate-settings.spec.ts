import { ConfigError, type DomainError } from '@tre/core';
import { resolveWorkspace } from './resolve-workspace';
import { assertValidWorkspaceSettings, workspaceSettingsProblems } from './validate-settings';
import { InvalidWorkspaceSpecError, UnknownSizeError, UnknownToolError } from './workspace-errors';
import { exampleSettings, exampleSpec } from './workspace-fixtures.spec-helper';
import type { WorkspaceSettings, WorkspaceSize, WorkspaceSpec, WorkspaceTool } from './workspace-settings';

describe('workspace settings', () => {
  it('accepts the example settings', () => {
    expect(workspaceSettingsProblems(exampleSettings())).toEqual([]);
  });

  const base = exampleSettings();
  it.each<[string, Partial<WorkspaceSettings>, string]>([
    [
      'an empty gateway namespace selector (every namespace)',
      { gateway: { namespaceLabels: {} } },
      'gateway.namespaceLabels is empty',
    ],
    [
      'egress to every IPv4 address',
      { apiEgress: { ...base.apiEgress, to: { cidr: '0.0.0.0/0' } } },
      'admits every address',
    ],
    [
      'egress to every IPv6 address',
      { apiEgress: { ...base.apiEgress, url: 'http://[fd00::1]:3000', to: { cidr: '::/0' } } },
      'admits every address',
    ],
    [
      'a CIDR that is not one',
      { apiEgress: { ...base.apiEgress, to: { cidr: '10.0.0.0' } } },
      'is not a CIDR',
    ],
    [
      'an API address outside its CIDR',
      { apiEgress: { ...base.apiEgress, to: { cidr: '10.97.0.0/16' } } },
      'outside apiEgress.to.cidr',
    ],
    [
      'an empty API namespace selector',
      { apiEgress: { ...base.apiEgress, to: { namespaceLabels: {} } } },
      'apiEgress.to.namespaceLabels is empty',
    ],
    [
      'a host-named API with DNS egress closed',
      { apiEgress: { ...base.apiEgress, url: 'http://tre-api.tre.svc:3000' } },
      'DNS egress is closed',
    ],
    [
      'an empty DNS namespace selector',
      { apiEgress: { ...base.apiEgress, dns: { namespaceLabels: {} } } },
      'apiEgress.dns.namespaceLabels is empty',
    ],
    [
      'a non-http API URL',
      { apiEgress: { ...base.apiEgress, url: 'file:///etc/passwd' } },
      'is not an http(s) URL',
    ],
    ['an upper-case prefix', { namespacePrefix: 'TRE-' }, 'namespacePrefix'],
    ['a prefix too long for the id', { namespacePrefix: 'p'.repeat(28) }, 'at most 27'],
    ['no tool at all', { toolImages: {} }, 'allows no tool'],
    [
      'a tool outside the known set',
      { toolImages: { ...base.toolImages, ['vscode' as WorkspaceTool]: { image: 'x', port: 1 } } },
      'not one of',
    ],
    [
      'a tool running as root',
      { toolImages: { jupyterlab: { image: 'x:1', port: 8888, runAsUser: 0 } } },
      'refuses root',
    ],
    [
      'a writable root',
      { toolImages: { jupyterlab: { image: 'x:1', port: 8888, writablePaths: ['/'] } } },
      'writablePaths',
    ],
    [
      'a writable data volume',
      { toolImages: { jupyterlab: { image: 'x:1', port: 8888, writablePaths: ['/data/'] } } },
      'writablePaths',
    ],
    [
      "a writable tre sdc kit (the researcher's tre must be the service's)",
      { toolImages: { jupyterlab: { image: 'x:1', port: 8888, writablePaths: ['/opt/tre'] } } },
      'writablePaths',
    ],
    ['a bad tool port', { toolImages: { jupyterlab: { image: 'x:1', port: 70000 } } }, 'is not a TCP port'],
    [
      'a size with no memory',
      { sizes: { ...base.sizes, small: { ...base.sizes.small, memory: '0' } } },
      'sizes.small.memory',
    ],
    [
      'a size without room for the loader',
      { sizes: { ...base.sizes, large: { ...base.sizes.large, pods: 1 } } },
      'sizes.large.pods',
    ],
    ['a loader running as root', { loader: { ...base.loader, runAsUser: 0 } }, 'loader.runAsUser'],
    [
      'a loader without a deadline',
      { loader: { ...base.loader, activeDeadlineSeconds: 0 } },
      'activeDeadlineSeconds',
    ],
    ['a root volume group', { fsGroup: 0 }, 'fsGroup'],
    ['no loader image', { loaderImage: '' }, 'loaderImage'],
  ])('refuses %s', (_, overrides, problem) => {
    const settings = exampleSettings(overrides);
    expect(workspaceSettingsProblems(settings).join('\n')).toContain(problem);
    expect(() => assertValidWorkspaceSettings(settings)).toThrow(ConfigError);
  });

  it('accepts a host-named API when DNS egress is configured', () => {
    const settings = exampleSettings({
      apiEgress: {
        url: 'http://tre-api.tre.svc:3000',
        port: 3000,
        to: { namespaceLabels: { 'tre.api': 'true' }, podLabels: { app: 'tre-api' } },
        dns: { namespaceLabels: { 'tre.dns': 'true' }, podLabels: { 'k8s-app': 'kube-dns' } },
      },
    });
    expect(workspaceSettingsProblems(settings)).toEqual([]);
  });
});

describe('resolveWorkspace refuses a spec outside the lists with a 400-class domain error', () => {
  it.each<[string, Partial<WorkspaceSpec>, new (...args: never[]) => Error]>([
    ['a tool known but not on this allow-list', { tool: 'rstudio' }, UnknownToolError],
    ['a tool nobody knows', { tool: 'vscode' as WorkspaceTool }, UnknownToolError],
    ['an unknown size', { size: 'huge' as WorkspaceSize }, UnknownSizeError],
    ['a workspace id that is not a UUID', { workspaceId: 'kube-system' }, InvalidWorkspaceSpecError],
    ['a project id that is not a UUID', { projectId: '' }, InvalidWorkspaceSpecError],
  ])('%s', (_, overrides, errorType) => {
    const attempt = (): unknown => resolveWorkspace(exampleSpec(overrides), exampleSettings());
    expect(attempt).toThrow(errorType);
    try {
      attempt();
    } catch (error: unknown) {
      expect((error as DomainError).code).toBe('validation_failed');
    }
  });

  it('names the allowed tools in the error', () => {
    expect(() => resolveWorkspace(exampleSpec({ tool: 'rstudio' }), exampleSettings())).toThrow(
      'Tool "rstudio" is not on the allow-list (jupyterlab, code-server)',
    );
  });
});
