import { readFileSync } from 'node:fs';
import { ConfigError } from '@tre/core';
import { assertValidWorkspaceSettings } from '../manifests/validate-settings';
import type { WorkspaceSettings } from '../manifests/workspace-settings';
import { DEVELOPMENT_WORKSPACE_SETTINGS } from './default-workspace-settings';

const KNOWN_KEYS = new Set(Object.keys(DEVELOPMENT_WORKSPACE_SETTINGS).concat('storageClassName'));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The workspace settings of this deployment: the file's top-level keys replace the development defaults
 * (a key is replaced whole, never merged, so a file's tool allow-list is exactly the list it names). Checked
 * at once; every problem is named, so one start-up reports them all.
 */
export function loadWorkspaceSettings(file: string): WorkspaceSettings {
  if (!file) {
    assertValidWorkspaceSettings(DEVELOPMENT_WORKSPACE_SETTINGS);
    return DEVELOPMENT_WORKSPACE_SETTINGS;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`WORKSPACE_SETTINGS_FILE ${file} cannot be read as JSON: ${reason}`]);
  }
  if (!isRecord(parsed)) throw new ConfigError([`WORKSPACE_SETTINGS_FILE ${file} must hold a JSON object`]);
  const unknown = Object.keys(parsed).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length) {
    throw new ConfigError(
      unknown.map((key) => `WORKSPACE_SETTINGS_FILE ${file}: unknown key "${key}" (a typo would be ignored)`),
    );
  }
  const settings = { ...DEVELOPMENT_WORKSPACE_SETTINGS, ...parsed };
  try {
    assertValidWorkspaceSettings(settings);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      throw new ConfigError(error.problems.map((problem) => `WORKSPACE_SETTINGS_FILE ${file}: ${problem}`));
    }
    throw error;
  }
  return settings;
}

/**
 * The loader's token must outlive the loader Job: a token that expires before the Job's deadline would fail a
 * slow but healthy load half-way. (The token dies earlier anyway, once the load is reported or revoked.)
 */
export function checkLoadTokenLifetime(settings: WorkspaceSettings, tokenTtlSeconds: number): void {
  const deadline = settings.loader.activeDeadlineSeconds;
  if (tokenTtlSeconds < deadline) {
    throw new ConfigError([
      `WORKSPACE_LOAD_TOKEN_TTL_SECONDS (${tokenTtlSeconds}) is shorter than the loader Job's deadline ` +
        `loader.activeDeadlineSeconds (${deadline}): raise the first or lower the second`,
    ]);
  }
}

const PINNED_BY_DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * In production the allow-list must name exactly what runs: a tag can be moved to other bytes, a digest cannot.
 * The development defaults (tags, a placeholder API address) are refused there: a deployment brings its own file.
 */
export function checkProductionWorkspaceSettings(
  settings: WorkspaceSettings,
  settingsFile: string,
  nodeEnv: string,
): void {
  if (nodeEnv !== 'production') return;
  const problems: string[] = [];
  if (!settingsFile)
    problems.push(
      'WORKSPACE_SETTINGS_FILE is required in production (the built-in settings are for development)',
    );
  for (const [tool, entry] of Object.entries(settings.toolImages)) {
    if (entry && !PINNED_BY_DIGEST.test(entry.image))
      problems.push(
        `toolImages.${tool}.image "${entry.image}" must be pinned by digest (repo@sha256:...) in production`,
      );
  }
  if (!PINNED_BY_DIGEST.test(settings.loaderImage))
    problems.push(
      `loaderImage "${settings.loaderImage}" must be pinned by digest (repo@sha256:...) in production`,
    );
  if (problems.length) throw new ConfigError(problems);
}
