import type { Command } from 'commander';
import { CliUsageError, exitWith } from '../cli-errors';

export function registerTransparency(program: Command): void {
  const transparency = program
    .command('transparency')
    .description('the public transparency log over the audit trail');
  transparency
    .command('verify')
    .description(
      'check every signed head and prove each extends the one before, from public data only; exits 1 naming the head that does not',
    )
    .requiredOption('--api <url>', 'base URL of the TRE API')
    .option('--state <file>', 'remembers the last trusted head (and key) between runs')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { api: string; state?: string; json?: boolean }) => {
      if (!/^https?:\/\//.test(options.api))
        throw new CliUsageError(`--api must be an http(s) URL, got "${options.api}"`);
      // Loaded here so other commands do not pay for the verifier.
      const { verifyTransparencyLog } = await import('../transparency/public-verifier');
      const outcome = await verifyTransparencyLog(options.api, options.state);
      if (options.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
      else if (outcome.ok) {
        const head = outcome.head;
        process.stdout.write(
          `transparency log verified: ${outcome.checked} new head(s)` +
            (head
              ? `; trusted head #${head.id}, ${head.treeSize} events, root ${head.rootHash}\n`
              : '; no head yet\n'),
        );
      } else process.stdout.write(`transparency log NOT VERIFIED: ${outcome.reason}\n`);
      if (!outcome.ok) exitWith(1);
    });
}
