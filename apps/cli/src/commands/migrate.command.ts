import type { Command } from 'commander';
import { loadConfig, migrate } from '@tre/core';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('create the database if missing and apply pending migrations')
    .action(async () => {
      const config = loadConfig();
      const report = await migrate(config.databaseUrl);
      const where = new URL(config.databaseUrl).pathname.slice(1);
      if (report.createdDatabase) process.stdout.write(`created database ${where}\n`);
      process.stdout.write(
        report.applied.length
          ? `applied ${report.applied.length} migration(s) to ${where}: ${report.applied.join(', ')}\n`
          : `database ${where} is up to date\n`,
      );
    });
}
