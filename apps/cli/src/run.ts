import { Command, CommanderError } from 'commander';
import { chosenCommand, COMMANDS } from './commands';
import { CliUsageError, EXIT_USAGE } from './cli-errors';

/**
 * Runs the `tre` command once and answers its exit code, without exiting: main.ts exits with it, and tests
 * run real commands in-process through it. Bad input exits 2 with a one-line reason, any other failure 1.
 */
export async function runCli(argv: string[]): Promise<number> {
  // Commands say failure through process.exitCode; a value left by an earlier in-process run (a test file
  // before this one in the same worker) must not become this run's answer.
  process.exitCode = undefined;
  const program = new Command('tre')
    .description('Trusted Research Environment orchestration: operations, checks and development helpers')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    // Only the command that runs is loaded; the others are listed by name and summary for `tre --help`.
    const chosen = chosenCommand(argv.slice(2));
    for (const entry of COMMANDS) {
      if (entry.name === chosen) (await entry.load())(program);
      else program.command(entry.name).description(entry.summary);
    }
    await program.parseAsync(argv);
    const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
    process.exitCode = undefined;
    return code;
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
