#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { commandModules } from './commands';
import { CliUsageError, EXIT_USAGE } from './cli-errors';

/**
 * The `tre` command. Each command lives in its own module under ./commands; bad input exits 2 with a
 * one-line reason, any other failure exits 1.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('tre')
    .description('Trusted Research Environment orchestration: operations, checks and development helpers')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const register of commandModules) register(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
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

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tre: ${String(error)}\n`);
    process.exit(1);
  },
);
