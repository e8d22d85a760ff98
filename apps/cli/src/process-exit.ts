/**
 * Exits once stdout and stderr have handed everything to the OS. Through a pipe, a large write is still queued
 * when the command returns, and exiting at once would cut the output at the pipe's buffer (64 KiB) with status
 * 0. A write's callback runs after every earlier write on the stream, so an empty write marks the end.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/** A reader that goes away (`tre ... | head`) is not the command's failure: stop writing and exit quietly. */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
      throw error;
    });
  }
}

/** Runs a CLI once and exits with its code, or 1 with the error's one line. */
export function runAndExit(run: () => Promise<number>): void {
  exitQuietlyOnBrokenPipe();
  run().then(exitWhenFlushed, (error: unknown) => {
    process.stderr.write(`tre: ${String(error)}\n`);
    exitWhenFlushed(1);
  });
}
