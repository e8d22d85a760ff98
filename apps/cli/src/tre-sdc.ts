#!/usr/bin/env node
import { registerSdcCommands } from './commands/sdc';
import { runAndExit } from './process-exit';
import { newProgram, runProgram } from './program';

/**
 * `tre sdc` alone, for inside a workspace's tool: the entry of the self-contained bundle (dist/tre-sdc.js,
 * built by scripts/bundle-tre-sdc.cjs) that an init container copies into the tool's pod. It takes the same
 * arguments as the full CLI (`tre sdc table ...`), so what a researcher types is the same everywhere, and
 * imports nothing but commander and @tre/sdc, which the bundle carries.
 */
const program = newProgram();
runAndExit(() => runProgram(program, process.argv, () => registerSdcCommands(program)));
