import type { Command } from 'commander';
import { registerAudit } from './audit.command';
import { registerConfig } from './config.command';
import { registerDemo } from './demo.command';
import { registerExtracts } from './extracts.command';
import { registerMigrate } from './migrate.command';
import { registerOptOuts } from './optouts.command';
import { registerOutputs } from './outputs';
import { registerSdcCommands } from './sdc';
import { registerSeed } from './seed.command';
import { registerToken } from './token.command';
import { registerTransparency } from './transparency.command';
import { registerWorkspace } from './workspace.command';

/** A CLI command module adds its sub-command(s) to the program. */
export type CommandModule = (program: Command) => void;

export const commandModules: CommandModule[] = [
  registerMigrate,
  registerToken,
  registerAudit,
  registerConfig,
  registerDemo,
  registerExtracts,
  registerSdcCommands,
  registerSeed,
  registerOptOuts,
  registerWorkspace,
  registerOutputs,
  registerTransparency,
];
