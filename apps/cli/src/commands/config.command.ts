import type { Command } from 'commander';
import { loadConfig, settingsMarkdownTable } from '@tre/core';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('validate the configuration from the environment and print it (or the settings table)')
    .option('--markdown', 'print the table of every setting, as in the README')
    .action((options: { markdown?: boolean }) => {
      if (options.markdown) {
        process.stdout.write(`${settingsMarkdownTable()}\n`);
        return;
      }
      const config = loadConfig();
      const shown = { ...config, databaseUrl: redact(config.databaseUrl), redisUrl: redact(config.redisUrl) };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    });
}

/** Connection URLs may carry passwords; never print them. */
function redact(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}
