import { chosenCommand, COMMANDS } from './commands';
import { newProgram, runProgram } from './program';

/**
 * Runs the `tre` command once and answers its exit code, without exiting: main.ts exits with it, and tests
 * run real commands in-process through it. Bad input exits 2 with a one-line reason, any other failure 1.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = newProgram();
  // Only the command that runs is loaded; the others are listed by name and summary for `tre --help`.
  return runProgram(program, argv, async () => {
    const chosen = chosenCommand(argv.slice(2));
    for (const entry of COMMANDS) {
      if (entry.name === chosen) (await entry.load())(program);
      else program.command(entry.name).description(entry.summary);
    }
  });
}
