import { readFile } from 'node:fs/promises';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '@tre/audit';
import { CoreConfigModule, DatabaseModule, ValidationError } from '@tre/core';
import {
  DatasetsModule,
  isOptOutList,
  OPT_OUT_LISTS,
  OptOutService,
  type OptOutListSummary,
} from '@tre/datasets';
import { CliUsageError } from '../cli-errors';

@Module({ imports: [CoreConfigModule, DatabaseModule, DatasetsModule] })
class OptOutCliModule {}

async function withOptOuts<T>(work: (service: OptOutService) => Promise<T>): Promise<T> {
  const context: INestApplicationContext = await NestFactory.createApplicationContext(OptOutCliModule, {
    logger: ['error'],
  });
  try {
    return await work(context.get(OptOutService));
  } finally {
    await context.close();
  }
}

/** The CLI acts as an admin: whoever can run it against the database already has the custodian's power. */
const CLI_ACTOR = { id: SYSTEM_ACTOR.cli, roles: ['admin'] };

/**
 * Loads an opt-out file as the next version of a list; callable from tests with a service of their own.
 * A refused file becomes a usage error (exit 2) naming the lines at fault, never their values.
 */
export async function runOptOutLoad(
  service: OptOutService,
  flags: { list?: string; file?: string },
  print: (line: string) => void,
): Promise<OptOutListSummary> {
  if (!isOptOutList(flags.list)) throw new CliUsageError(`--list must be one of ${OPT_OUT_LISTS.join(', ')}`);
  if (!flags.file) throw new CliUsageError('--file is required');
  let text: string;
  try {
    text = await readFile(flags.file, 'utf8');
  } catch (error: unknown) {
    throw new CliUsageError(`cannot read ${flags.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const summary = await service.load(CLI_ACTOR, flags.list, text);
    print(`${summary.list} opt-out list now at version ${summary.version}: ${summary.count} NHS numbers`);
    return summary;
  } catch (error: unknown) {
    if (error instanceof ValidationError) throw new CliUsageError(error.message);
    throw error;
  }
}

export function registerOptOuts(program: Command): void {
  const optouts = program.command('optouts').description('national data opt-out and GP type 1 lists');
  optouts
    .command('load')
    .description(
      'replace a list whole from a CSV file with the header nhs_number; a bad line refuses the file',
    )
    .option('--list <list>', OPT_OUT_LISTS.join(' | '))
    .option('--file <path>', 'CSV file, one NHS number a line')
    .action(async (flags: { list?: string; file?: string }) => {
      await withOptOuts((service) =>
        runOptOutLoad(service, flags, (line) => process.stdout.write(`${line}\n`)),
      );
    });
  optouts
    .command('show')
    .description("each list's version, count and loader; never the numbers")
    .action(async () => {
      const summaries = await withOptOuts((service) => service.summaries());
      for (const s of summaries) {
        process.stdout.write(
          `${s.list}: version ${s.version}, ${s.count} numbers` +
            (s.loadedAt ? `, loaded ${s.loadedAt} by ${s.loadedBy}` : ', never loaded') +
            '\n',
        );
      }
    });
}
