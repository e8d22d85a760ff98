import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadExtract, loadFailureReason, type LoadOutcome } from '@tre/workspaces';
import { CliUsageError } from '../cli-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the loader Job's environment must hold (see buildLoaderJob); the token comes from its Secret. */
export interface LoaderEnvironment {
  apiUrl: string;
  workspaceId: string;
  projectId: string;
  extractId: string;
  dataDir: string;
  token: string;
}

export function loaderEnvironment(env: NodeJS.ProcessEnv): LoaderEnvironment {
  const read = (name: string): string => {
    const value = env[name]?.trim();
    if (!value)
      throw new CliUsageError(`${name} is not set: the loader runs in the Job the provisioner creates`);
    return value;
  };
  const apiUrl = read('TRE_API_URL');
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl))
    throw new CliUsageError(`TRE_API_URL must be an http(s) URL, got "${apiUrl}"`);
  const ids = {
    workspaceId: read('TRE_WORKSPACE_ID'),
    projectId: read('TRE_PROJECT_ID'),
    extractId: read('TRE_EXTRACT_ID'),
  };
  for (const [key, value] of Object.entries(ids))
    if (!UUID.test(value)) throw new CliUsageError(`${key} must be a UUID, got "${value}"`);
  return { apiUrl, ...ids, dataDir: read('TRE_DATA_DIR'), token: read('TRE_LOAD_TOKEN') };
}

/** Where Kubernetes reads a container's termination message (the pod's `terminationMessagePath`). */
export const TERMINATION_LOG_PATH = '/dev/termination-log';

export interface WorkspaceLoadOptions {
  attempts?: number;
  backoffMs?: number;
  /** On failure, the one-line reason is written here if the file exists and is writable (in a pod it does). */
  terminationLogPath?: string;
}

/** Runs one load from an environment; progress goes to `log`. Exported for tests and the demo. */
export async function runWorkspaceLoad(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  options: WorkspaceLoadOptions = {},
): Promise<LoadOutcome> {
  const { terminationLogPath, ...tuning } = options;
  try {
    return await loadExtract({ ...loaderEnvironment(env), ...tuning, log });
  } catch (error: unknown) {
    if (terminationLogPath) await writeTerminationReason(terminationLogPath, error);
    throw error;
  }
}

/**
 * Best effort: the provisioner shows this line as the load step's error. Never creates the file (outside a pod
 * there is none to write), never fails the command, and never carries anything token-like.
 */
async function writeTerminationReason(path: string, error: unknown): Promise<void> {
  const reason = loadFailureReason(error instanceof Error ? error.message : String(error), 1024);
  try {
    const file = await open(path, 'r+');
    try {
      await file.truncate(0);
      await file.write(`${reason}\n`, 0);
    } finally {
      await file.close();
    }
  } catch {
    // Not writable, or not there: the pod's logs still say why.
  }
}

/** `tre workspace load`: the entry point of the loader Job (LOADER_COMMAND). */
export function registerWorkspaceLoad(workspace: Command): void {
  workspace
    .command('load')
    .description(
      "fetch the workspace's extract with the one-time load token, verify every file's SHA-256 and size " +
        'against the manifest, and write it to TRE_DATA_DIR (reads TRE_API_URL, TRE_WORKSPACE_ID, ' +
        'TRE_PROJECT_ID, TRE_EXTRACT_ID, TRE_DATA_DIR, TRE_LOAD_TOKEN)',
    )
    .action(async () => {
      await runWorkspaceLoad(process.env, (line) => process.stdout.write(`${line}\n`), {
        terminationLogPath: TERMINATION_LOG_PATH,
      });
    });
}
