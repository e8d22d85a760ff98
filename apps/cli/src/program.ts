import { Command, CommanderError } from 'commander';
import { CliUsageError, EXIT_USAGE, takeExitCode } from './cli-errors';

// No import of ./commands here: the self-contained `tre sdc` bundle (tre-sdc.ts) uses this file, and must not
// pull in every command's module (Nest, TypeORM, the Kubernetes client).

/** The `tre` program with no commands yet: errors are thrown to runProgram, not exited on. */
export function newProgram(): Command {
  return new Command('tre')
    .description('Trusted Research Environment orchestration: operations, checks and development helpers')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}

/**
 * Adds the commands (`register`), runs the program once and answers its exit code: bad input 2 with a one-line
 * reason, any other failure 1. Shared with the self-contained `tre sdc` bundle (tre-sdc.ts).
 */
export async function runProgram(
  program: Command,
  argv: string[],
  register: () => void | Promise<void>,
): Promise<number> {
  // Commands say failure through exitWith; a code left by an earlier in-process run must not be this one's.
  takeExitCode();
  try {
    await register();
    await program.parseAsync(argv);
    return takeExitCode();
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return EXIT_USAGE;
    }
    if (error instanceof CliUsageError) {
      process.stderr.write(`tre: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`tre: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
