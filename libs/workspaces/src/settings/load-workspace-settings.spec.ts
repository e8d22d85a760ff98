import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tre/core';
import { DEVELOPMENT_WORKSPACE_SETTINGS } from './default-workspace-settings';
import {
  checkLoadTokenLifetime,
  checkProductionWorkspaceSettings,
  loadWorkspaceSettings,
} from './load-workspace-settings';

const dir = mkdtempSync(join(tmpdir(), 'ws-settings-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadWorkspaceSettings', () => {
  it('uses the development defaults, which pass the checks and allow the three tools', () => {
    const settings = loadWorkspaceSettings('');
    expect(settings).toBe(DEVELOPMENT_WORKSPACE_SETTINGS);
    expect(Object.keys(settings.toolImages).sort()).toEqual(['code-server', 'jupyterlab', 'rstudio']);
  });

  it('replaces top-level keys whole, so a file narrows the tool allow-list', () => {
    const settings = loadWorkspaceSettings(
      file(
        'narrow.json',
        JSON.stringify({
          toolImages: { rstudio: { image: 'rocker/rstudio@sha256:' + 'a'.repeat(64), port: 8787 } },
        }),
      ),
    );
    expect(Object.keys(settings.toolImages)).toEqual(['rstudio']);
    expect(settings.sizes).toEqual(DEVELOPMENT_WORKSPACE_SETTINGS.sizes);
  });

  it('names every problem of a bad file', () => {
    const problems = problemsOf(() =>
      loadWorkspaceSettings(
        file(
          'bad.json',
          JSON.stringify({
            namespacePrefix: 'Bad_Prefix',
            gateway: { namespaceLabels: {} },
            apiEgress: { url: 'http://0.0.0.0:1', port: 1, to: { cidr: '0.0.0.0/0' } },
          }),
        ),
      ),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.join('\n')).toMatch(/namespacePrefix/);
    expect(problems.join('\n')).toMatch(/gateway/);
    expect(problems.join('\n')).toMatch(/every address/);
    expect(problems.every((p) => p.startsWith('WORKSPACE_SETTINGS_FILE'))).toBe(true);
  });

  it('refuses unknown keys, unreadable files and non-objects', () => {
    expect(problemsOf(() => loadWorkspaceSettings(file('typo.json', '{"toolImage": {}}')))[0]).toMatch(
      /unknown key "toolImage"/,
    );
    expect(problemsOf(() => loadWorkspaceSettings(file('broken.json', '{')))[0]).toMatch(/cannot be read/);
    expect(problemsOf(() => loadWorkspaceSettings(join(dir, 'missing.json')))[0]).toMatch(/cannot be read/);
    expect(problemsOf(() => loadWorkspaceSettings(file('list.json', '[]')))[0]).toMatch(/JSON object/);
  });
});

describe('checkLoadTokenLifetime', () => {
  const deadline = DEVELOPMENT_WORKSPACE_SETTINGS.loader.activeDeadlineSeconds;

  it('accepts a token that lives at least as long as the loader Job may run', () => {
    expect(() => checkLoadTokenLifetime(DEVELOPMENT_WORKSPACE_SETTINGS, deadline)).not.toThrow();
  });

  it('refuses a token that would expire before the loader Job deadline, naming both settings', () => {
    expect(() => checkLoadTokenLifetime(DEVELOPMENT_WORKSPACE_SETTINGS, deadline - 1)).toThrow(ConfigError);
    expect(() => checkLoadTokenLifetime(DEVELOPMENT_WORKSPACE_SETTINGS, deadline - 1)).toThrow(
      /WORKSPACE_LOAD_TOKEN_TTL_SECONDS .* loader\.activeDeadlineSeconds/,
    );
  });
});

describe('checkProductionWorkspaceSettings', () => {
  const digest = `@sha256:${'ab'.repeat(32)}`;
  const pinned = {
    ...DEVELOPMENT_WORKSPACE_SETTINGS,
    loaderImage: `registry.example/tre${digest}`,
    toolImages: {
      jupyterlab: {
        ...DEVELOPMENT_WORKSPACE_SETTINGS.toolImages.jupyterlab!,
        image: `quay.io/jupyter/lab${digest}`,
      },
    },
  };

  it('leaves development and test alone', () => {
    expect(() =>
      checkProductionWorkspaceSettings(DEVELOPMENT_WORKSPACE_SETTINGS, '', 'development'),
    ).not.toThrow();
  });

  it('accepts a settings file whose images are all pinned by digest', () => {
    expect(() =>
      checkProductionWorkspaceSettings(pinned, '/etc/tre/workspaces.json', 'production'),
    ).not.toThrow();
  });

  it('refuses the built-in settings and every image named by tag, naming each', () => {
    let problems: string[] = [];
    try {
      checkProductionWorkspaceSettings(DEVELOPMENT_WORKSPACE_SETTINGS, '', 'production');
    } catch (error: unknown) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^WORKSPACE_SETTINGS_FILE is required in production/),
      expect.stringMatching(/^toolImages\.jupyterlab\.image .* must be pinned by digest/),
      expect.stringMatching(/^toolImages\.rstudio\.image/),
      expect.stringMatching(/^toolImages\.code-server\.image/),
      expect.stringMatching(/^loaderImage .* must be pinned by digest/),
    ]);
  });
});
