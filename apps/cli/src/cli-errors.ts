/** Exit code for a caller's mistake: bad flags, a missing file, malformed input. */
export const EXIT_USAGE = 2;

/** Thrown by a command for bad input; the CLI prints the one-line message and exits 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

// The exit code a command asked for, kept here rather than in process.exitCode: that one is shared by all code
// in the process (a test's neighbours included), so a run could read a value it never set.
let commandExitCode = 0;

/** A command that ran but failed its purpose (a check that found problems) ends the run with `code`. */
export function exitWith(code: number): void {
  commandExitCode = code;
}

/** The code the last run's command asked for (0 when none), cleared for the next run. */
export function takeExitCode(): number {
  const code = commandExitCode;
  commandExitCode = 0;
  return code;
}
