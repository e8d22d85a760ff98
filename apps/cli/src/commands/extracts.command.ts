import type { Command } from 'commander';
import { ExtractQueryService, type ExtractView } from '@tre/datasets';
import { CliUsageError } from '../cli-errors';
import { withCliContext } from '../context/cli-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(extract: ExtractView): string {
  const lines = [`extract ${extract.id} (approval ${extract.approvalId}): ${extract.status.toUpperCase()}`];
  for (const step of extract.steps) {
    const detail = step.detail ? ` ${JSON.stringify(step.detail)}` : '';
    lines.push(`  [${step.state.padEnd(7)}] ${step.name}${detail}`);
  }
  if (extract.failureReason) lines.push(`  reason: ${extract.failureReason}`);
  return lines.join('\n');
}

export function registerExtracts(program: Command): void {
  const extracts = program.command('extracts').description("projects' pseudonymised, minimised extracts");
  extracts
    .command('status')
    .description('show the extracts of a project, step by step (counts only, never identifiers)')
    .requiredOption('--project <id>', 'project id')
    .option('--json', 'print JSON')
    .action(async (options: { project: string; json?: boolean }) => {
      if (!UUID.test(options.project))
        throw new CliUsageError(`--project must be a project id (uuid), got "${options.project}"`);
      // The newest 200 (the API's largest page); a project rebuilds its extract a handful of times at most.
      const { items: found, total } = await withCliContext((context) =>
        context.get(ExtractQueryService).forProject(options.project, { page: 1, pageSize: 200 }),
      );
      if (options.json) process.stdout.write(`${JSON.stringify(found)}\n`);
      else
        process.stdout.write(
          found.length
            ? `${found.map(describe).join('\n')}\n${total > found.length ? `(newest ${found.length} of ${total})\n` : ''}`
            : `project ${options.project} has no extract yet\n`,
        );
    });
}
