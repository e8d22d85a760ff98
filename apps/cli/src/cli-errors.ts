/** Exit code for a caller's mistake: bad flags, a missing file, malformed input. */
export const EXIT_USAGE = 2;

/** Thrown by a command for bad input; the CLI prints the one-line message and exits 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
