import type { Command } from 'commander';

/** A CLI command module adds its sub-command(s) to the program. */
export type CommandModule = (program: Command) => void;

/**
 * One top-level command: its name and summary (what `tre --help` lists) and how to load its module. Only the
 * command that runs is loaded, so `tre sdc ...` starts without Nest, TypeORM or the Kubernetes client. The
 * summary must equal the description the module gives the command (commands.spec.ts checks it).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'migrate',
    summary: 'create the database if missing and apply pending migrations',
    load: async () => (await import('./migrate.command')).registerMigrate,
  },
  {
    name: 'token',
    summary: 'mint a development bearer token signed with the local key (AUTH_MODE=dev only)',
    load: async () => (await import('./token.command')).registerToken,
  },
  {
    name: 'audit',
    summary: 'the tamper-evident audit trail',
    load: async () => (await import('./audit.command')).registerAudit,
  },
  {
    name: 'config',
    summary: 'validate the configuration from the environment and print it (or the settings table)',
    load: async () => (await import('./config.command')).registerConfig,
  },
  {
    name: 'demo',
    summary: 'start the API and worker on this machine and walk through the life of a project, narrated',
    load: async () => (await import('./demo.command')).registerDemo,
  },
  {
    name: 'extracts',
    summary: "projects' pseudonymised, minimised extracts",
    load: async () => (await import('./extracts.command')).registerExtracts,
  },
  {
    name: 'sdc',
    summary: 'Statistical disclosure control: check outputs against the TRE rules and protect tables',
    load: async () => (await import('./sdc')).registerSdcCommands,
  },
  {
    name: 'seed',
    summary:
      'write synthetic linked sources (GP registrations, hospital episodes, deaths) with test-range NHS numbers',
    load: async () => (await import('./seed.command')).registerSeed,
  },
  {
    name: 'optouts',
    summary: 'national data opt-out and GP type 1 lists',
    load: async () => (await import('./optouts.command')).registerOptOuts,
  },
  {
    name: 'workspace',
    summary: "projects' sealed analysis workspaces",
    load: async () => (await import('./workspace.command')).registerWorkspace,
  },
  {
    name: 'outputs',
    summary:
      'the airlock: request outputs, follow their checks, vote as a checker, download releases (via the API)',
    load: async () => (await import('./outputs')).registerOutputs,
  },
  {
    name: 'transparency',
    summary: 'the public transparency log over the audit trail',
    load: async () => (await import('./transparency.command')).registerTransparency,
  },
];

/**
 * The top-level command an argument list runs (`tre help sdc` shows sdc's help, so it needs sdc), or undefined
 * when it names none (`tre`, `tre --help`). The program has no options of its own that take a value.
 */
export function chosenCommand(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
