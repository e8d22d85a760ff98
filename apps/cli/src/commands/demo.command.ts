import type { Command } from 'commander';
import { runDemo } from '../demo/run-demo';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the API and worker on this machine and walk through the life of a project, narrated')
    .action(runDemo);
}
