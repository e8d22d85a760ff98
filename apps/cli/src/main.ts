#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './run';

/** The `tre` command: each command lives in its own module under ./commands (see run.ts). */
runCli(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tre: ${String(error)}\n`);
    process.exit(1);
  },
);
