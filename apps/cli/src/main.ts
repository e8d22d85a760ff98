#!/usr/bin/env node
import 'reflect-metadata';
import { runAndExit } from './process-exit';
import { runCli } from './run';

/** The `tre` command: each command lives in its own module under ./commands, loaded when it runs (run.ts). */
runAndExit(() => runCli(process.argv));
