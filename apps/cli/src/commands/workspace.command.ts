import type { Command } from 'commander';
import { registerWorkspaceLoad } from './workspace-load.command';

/** `tre workspace ...`: sealed analysis workspaces. */
export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('sealed analysis workspaces');
  registerWorkspaceLoad(workspace);
}
